import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only (a database trigger refuses UPDATE and DELETE): who did what to which key,
 * provider, selection or app key, and when. Details hold ids and masks, never a secret.
 */
@ObjectType()
@Entity({ name: 'audit_events' })
@Index('audit_events_workspace_id', ['workspaceId', 'id'])
export class AuditEvent {
  // A sequence, not a uuid: it orders events exactly and makes a stable pagination cursor.
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @Field({ description: 'key.created, key.rotated, key.health_changed, app_key.revoked, …' })
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Field({ description: '"app_key:<id>", "system:worker" or "operator".' })
  @Column({ type: 'varchar', length: 100 })
  actor: string;

  @Field({ description: 'provider_key, provider, app_key, model_selection, …' })
  @Column({ type: 'varchar', length: 64 })
  targetType: string;

  @Field(() => ID, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  targetId: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
