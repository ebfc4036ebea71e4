import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { KeyError, ProviderKey, reviveKeyError } from './provider-key.entity';
import { KeyTestStatus } from './key-status';
import { TestTrigger } from './test-trigger';

/** One test of one key and secret version. Open (TESTING) until the worker writes its result. */
@ObjectType()
@Entity({ name: 'key_test_runs' })
@Index('key_test_runs_key_started', ['keyId', 'startedAt'])
// At most one open run per key and secret version: concurrent test requests share it.
@Index('key_test_runs_one_open', ['keyId', 'secretVersion'], { unique: true, where: 'finished_at IS NULL' })
export class KeyTestRun {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ type: 'uuid' })
  keyId: string;

  @ManyToOne(() => ProviderKey, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'key_id' })
  key?: ProviderKey;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @Field(() => Int)
  @Column({ type: 'int' })
  secretVersion: number;

  @Field(() => TestTrigger)
  @Column({ type: 'enum', enum: TestTrigger, enumName: 'test_trigger' })
  trigger: TestTrigger;

  @Field(() => KeyTestStatus, { description: 'TESTING while queued or running, then PASSED or FAILED.' })
  @Column({ type: 'enum', enum: KeyTestStatus, enumName: 'key_test_status', default: KeyTestStatus.TESTING })
  status: KeyTestStatus;

  @Field(() => KeyError, { nullable: true })
  @Column({ type: 'jsonb', nullable: true, transformer: { to: (value: unknown) => value, from: reviveKeyError } })
  error: KeyError | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  latencyMs: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  modelsFound: number | null;

  @Field(() => Int, { description: 'Provider calls made, retries included.' })
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Field({ description: 'True when the secret was rotated while this test ran: its result was recorded but not applied to the key.' })
  @Column({ type: 'boolean', default: false })
  stale: boolean;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
