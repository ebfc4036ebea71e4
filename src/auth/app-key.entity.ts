import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Workspace } from '../workspaces/workspace.entity';
import { Role } from './role';

/** A token for calling this API. Only a hash of the token is stored; the token is shown once. */
@ObjectType()
@Entity({ name: 'app_keys' })
export class AppKey {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => Role)
  @Column({ type: 'enum', enum: Role, enumName: 'app_key_role' })
  role: Role;

  @Field({ description: 'The start of the token, enough to recognise it in a list; never the whole token.' })
  @Column({ type: 'varchar', length: 32 })
  prefix: string;

  /** SHA-256 of the whole token; tokens carry 190 bits of randomness, so a slow hash adds nothing. */
  @Index({ unique: true })
  @Column({ type: 'bytea' })
  tokenHash: Buffer;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
