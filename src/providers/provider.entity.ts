import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '../workspaces/workspace.entity';
import { Protocol } from './protocol';

/**
 * A model provider: a built-in row (workspaceId null, seeded by a migration, shared by every
 * workspace) or a workspace's custom row.
 */
// simpleResolvers: no per-field wrapper (no field here carries its own authorization).
@ObjectType({ simpleResolvers: true })
@Entity({ name: 'providers' })
@Index('providers_builtin_slug', ['slug'], { unique: true, where: 'workspace_id IS NULL' })
@Index('providers_workspace_slug', ['workspaceId', 'slug'], { unique: true, where: 'workspace_id IS NOT NULL' })
export class Provider {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  workspaceId: string | null;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Field({ description: 'openai, anthropic, google, xai, deepseek, mistral, openrouter, … or a custom slug.' })
  @Column({ type: 'varchar', length: 64 })
  slug: string;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => Protocol)
  @Column({ type: 'enum', enum: Protocol, enumName: 'provider_protocol' })
  protocol: Protocol;

  @Field(() => String, { nullable: true, description: 'Used when a key does not name its own endpoint.' })
  @Column({ type: 'varchar', length: 2048, nullable: true })
  defaultEndpoint: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  get builtIn(): boolean {
    return this.workspaceId === null;
  }
}
