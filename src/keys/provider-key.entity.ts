import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Provider } from '../providers/provider.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { KeyErrorCode } from './key-error-code';
import { KeyHealth, KeyTestStatus } from './key-status';

/** The error text shown under a key in the table. Scrubbed of the secret before it is stored. */
@ObjectType()
export class KeyError {
  @Field(() => KeyErrorCode)
  code: KeyErrorCode;

  @Field()
  message: string;

  @Field(() => Int, { nullable: true })
  httpStatus?: number | null;

  @Field()
  at: Date;
}

export function reviveKeyError(value: (Omit<KeyError, 'at'> & { at: string }) | null): KeyError | null {
  return value ? { ...value, at: new Date(value.at) } : null;
}

/**
 * One model-provider credential. The secret exists only as `secret` (sealed by the vault, bound to
 * workspace, key id and secret version); the api never decrypts it, the worker does so in memory
 * right before a provider call.
 */
@ObjectType()
@Entity({ name: 'provider_keys' })
@Index('provider_keys_fingerprint', ['workspaceId', 'providerId', 'fingerprint'], { unique: true })
export class ProviderKey {
  // Assigned before sealing, because the ciphertext is bound to the id.
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Index()
  @Column({ type: 'uuid' })
  providerId: string;

  // RESTRICT: a custom provider cannot disappear from under its keys.
  @ManyToOne(() => Provider, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_id' })
  provider?: Provider;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 100, nullable: true })
  label: string | null;

  @Field()
  @Column({ type: 'varchar', length: 2048 })
  endpoint: string;

  /** Sealed secret: format version, keyring version, nonce, tag, ciphertext. Never a GraphQL field. */
  @Column({ type: 'bytea' })
  secret: Buffer;

  /** HMAC of provider id and secret, so duplicates are found without decrypting any row. */
  @Column({ type: 'bytea' })
  fingerprint: Buffer;

  @Field({ description: 'e.g. "sk-…a1B2"; never more than a short prefix and the last 4.' })
  @Column({ type: 'varchar', length: 32 })
  maskedKey: string;

  @Field(() => Int)
  @Column({ type: 'int', default: 1 })
  secretVersion: number;

  @Field(() => KeyTestStatus)
  @Column({ type: 'enum', enum: KeyTestStatus, enumName: 'key_test_status', default: KeyTestStatus.UNTESTED })
  testStatus: KeyTestStatus;

  @Field(() => KeyHealth)
  @Column({ type: 'enum', enum: KeyHealth, enumName: 'key_health', default: KeyHealth.HEALTHY })
  health: KeyHealth;

  @Field(() => KeyError, { nullable: true, description: 'The error text shown under the key.' })
  @Column({ type: 'jsonb', nullable: true, transformer: { to: (value: unknown) => value, from: reviveKeyError } })
  lastError: KeyError | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastTestedAt: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** When the scheduler should test this key next; null while a test is pending or never due. */
  @Index('provider_keys_next_test_at', { where: 'next_test_at IS NOT NULL' })
  @Column({ type: 'timestamptz', nullable: true })
  nextTestAt: Date | null;

  /** Failed tests in a row, for the recovery backoff; reset by a pass. */
  @Column({ type: 'int', default: 0 })
  consecutiveTestFailures: number;

  /** Set only on the copy a keyStatusChanged event carries for a deleted key. */
  wasDeleted?: boolean;

  @Field({ description: 'True only in a keyStatusChanged event for a key that was just deleted (its other fields are its last state).' })
  get deleted(): boolean {
    return this.wasDeleted === true;
  }
}
