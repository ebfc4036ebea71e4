import { Field, ID, ObjectType } from 'type-graphql';
import { Workspace } from '../workspaces/workspace.entity';
import { Role } from './role';

/** Who is calling: the app key behind the token, its role, and the one workspace it may touch. */
@ObjectType()
export class Viewer {
  @Field(() => Workspace)
  workspace: Workspace;

  @Field(() => Role)
  role: Role;

  @Field(() => ID)
  appKeyId: string;

  constructor(workspace: Workspace, role: Role, appKeyId: string) {
    this.workspace = workspace;
    this.role = role;
    this.appKeyId = appKeyId;
  }

  get workspaceId(): string {
    return this.workspace.id;
  }

  /** The actor string recorded in the audit trail. */
  get actor(): string {
    return `app_key:${this.appKeyId}`;
  }
}
