import type { Core } from '../../src/app';
import { Role } from '../../src/auth/role';
import type { Workspace } from '../../src/workspaces/workspace.entity';

export interface TestWorkspace {
  readonly workspace: Workspace;
  readonly adminToken: string;
  /** Issues another token of `role` in this workspace. */
  token(role: Role, name?: string): Promise<string>;
}

let counter = 0;

/** A workspace with a first ADMIN token, created through the same services the admin CLI uses. */
export async function createWorkspace(core: Pick<Core, 'services'>, name?: string): Promise<TestWorkspace> {
  counter += 1;
  const workspace = await core.services.workspaces.create(name ?? `Workspace ${counter}`);
  const { token: adminToken } = await core.services.appKeys.create({ workspaceId: workspace.id, name: 'admin', role: Role.ADMIN, actor: 'operator' });
  return {
    workspace,
    adminToken,
    token: async (role, tokenName) =>
      (await core.services.appKeys.create({ workspaceId: workspace.id, name: tokenName ?? role.toLowerCase(), role, actor: 'operator' })).token,
  };
}
