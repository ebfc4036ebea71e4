import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { KeyTestSettings } from '../config';
import type { TestTrigger } from '../keys/test-trigger';

/** Queue names. Job payloads carry ids only, never a secret. */
export const QueueName = {
  KEY_TESTS: 'key-tests',
  SCHEDULER: 'key-test-scheduler',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** One key test. The run row holds everything else; the job only names it. */
export interface KeyTestJob {
  readonly runId: string;
  readonly keyId: string;
  readonly workspaceId: string;
  readonly secretVersion: number;
  readonly trigger: TestTrigger;
}

export class QueueUnavailableError extends Error {
  constructor(reason: string) {
    super(`The job queue is unavailable (${reason}).`);
    this.name = 'QueueUnavailableError';
  }
}

const ENQUEUE_TIMEOUT_MS = 5_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`no answer within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** BullMQ keys live under `<REDIS_PREFIX>:bull`, beside everything else of this deployment. */
export const bullPrefix = (redisPrefix: string): string => `${redisPrefix}:bull`;

/**
 * The api's (and the scheduler's) only door to the queues. The connection passed in decides how a
 * Redis outage feels: the api passes a fail-fast client, so enqueueing answers at once.
 */
export class JobQueues {
  readonly keyTests: Queue<KeyTestJob>;
  readonly scheduler: Queue;

  constructor(
    private readonly connection: Redis,
    redisPrefix: string,
    private readonly settings: KeyTestSettings,
    onError: (error: Error) => void,
  ) {
    const prefix = bullPrefix(redisPrefix);
    this.keyTests = new Queue<KeyTestJob>(QueueName.KEY_TESTS, { connection, prefix });
    this.scheduler = new Queue(QueueName.SCHEDULER, { connection, prefix });
    // An EventEmitter 'error' without a listener would crash the process while Redis is away.
    for (const queue of this.all) queue.on('error', onError);
  }

  get all(): Queue[] {
    return [this.keyTests, this.scheduler];
  }

  /** The job id is the run id, so adding the same run twice is a no-op (BullMQ dedupes by id). */
  async enqueueKeyTests(jobs: readonly KeyTestJob[]): Promise<void> {
    if (jobs.length === 0) return;
    this.assertConnected();
    await withTimeout(this.keyTests.addBulk(
      jobs.map((data) => ({
        name: 'test',
        data,
        opts: {
          jobId: data.runId,
          attempts: this.settings.attempts,
          backoff: { type: 'exponential', delay: 1_000 },
          removeOnComplete: { age: 3_600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
        },
      })),
    ));
  }

  /**
   * BullMQ waits for a connection that is not ready rather than failing; the api must answer at
   * once instead (SERVICE_UNAVAILABLE), and the scheduler repairs whatever was not queued.
   */
  private assertConnected(): void {
    if (this.connection.status !== 'ready') throw new QueueUnavailableError(`redis is ${this.connection.status}`);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.all.map((queue) => queue.close()));
  }
}
