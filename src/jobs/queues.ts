import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { KeyTestSettings } from '../config';
import type { TestTrigger } from '../keys/test-trigger';

/** Queue names. Job payloads carry ids only, never a secret. */
export const QueueName = {
  KEY_TESTS: 'key-tests',
  SCHEDULER: 'key-test-scheduler',
  RUNTIME_EVENTS: 'runtime-events',
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

/** One accepted runtime report: ids, codes and a short scrubbed reason; never the caller's raw message. */
export interface RuntimeReport {
  readonly keyId: string;
  readonly outcome: 'SUCCESS' | 'FAILURE';
  /** The secret version the caller says it used; when absent, `at` is compared with the key's rotation. */
  readonly secretVersion?: number;
  readonly httpStatus?: number;
  readonly errorCode?: string;
  /** shortReason() of the caller's message: classification reads it (quota wording), nothing else. */
  readonly reason?: string;
  /** When the call happened, epoch milliseconds. */
  readonly at: number;
}

/** Reports of one call to reportModelCalls, in chunks; every key in it belongs to `workspaceId`. */
export interface RuntimeReportsJob {
  readonly workspaceId: string;
  readonly reports: readonly RuntimeReport[];
}

/** Ends a rate-limit cooldown: one per key, secret version and DEGRADED episode (`episode`). */
export interface CooldownJob {
  readonly keyId: string;
  readonly workspaceId: string;
  readonly secretVersion: number;
  readonly episode: number;
}

export const RuntimeJobName = { REPORTS: 'reports', COOLDOWN: 'cooldown' } as const;

/** Reports per job: small enough to spread over workers, large enough that 1000 reports are a few jobs. */
export const RUNTIME_REPORTS_PER_JOB = 100;

export class QueueUnavailableError extends Error {
  constructor(reason: string) {
    super(`The job queue is unavailable (${reason}).`);
    this.name = 'QueueUnavailableError';
  }
}

const ENQUEUE_TIMEOUT_MS = 5_000;

const RUNTIME_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
} as const;

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
  readonly runtimeEvents: Queue<RuntimeReportsJob | CooldownJob>;

  constructor(
    private readonly connection: Redis,
    redisPrefix: string,
    private readonly settings: KeyTestSettings,
    onError: (error: Error) => void,
  ) {
    const prefix = bullPrefix(redisPrefix);
    this.keyTests = new Queue<KeyTestJob>(QueueName.KEY_TESTS, { connection, prefix });
    this.scheduler = new Queue(QueueName.SCHEDULER, { connection, prefix });
    this.runtimeEvents = new Queue<RuntimeReportsJob | CooldownJob>(QueueName.RUNTIME_EVENTS, { connection, prefix });
    // An EventEmitter 'error' without a listener would crash the process while Redis is away.
    for (const queue of this.all) queue.on('error', onError);
  }

  get all(): Queue[] {
    return [this.keyTests, this.scheduler, this.runtimeEvents];
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

  /** In chunks, in one round trip; fails at once when Redis is away (the caller answers SERVICE_UNAVAILABLE). */
  async enqueueRuntimeReports(workspaceId: string, reports: readonly RuntimeReport[]): Promise<void> {
    if (reports.length === 0) return;
    this.assertConnected();
    const jobs = [];
    for (let start = 0; start < reports.length; start += RUNTIME_REPORTS_PER_JOB) {
      const data: RuntimeReportsJob = { workspaceId, reports: reports.slice(start, start + RUNTIME_REPORTS_PER_JOB) };
      jobs.push({ name: RuntimeJobName.REPORTS, data, opts: { ...RUNTIME_JOB_OPTIONS, jobId: randomUUID() } });
    }
    await withTimeout(this.runtimeEvents.addBulk(jobs));
  }

  /**
   * The job id names the key, secret version and episode, so scheduling the same cooldown again
   * (a retried report job) is a no-op, and a new DEGRADED episode never collides with an old one.
   */
  async scheduleCooldown(job: CooldownJob, delayMs: number): Promise<void> {
    this.assertConnected();
    await withTimeout(
      this.runtimeEvents.add(RuntimeJobName.COOLDOWN, job, {
        ...RUNTIME_JOB_OPTIONS,
        jobId: `cooldown-${job.keyId}-${job.secretVersion}-${job.episode}`,
        delay: Math.max(0, delayMs),
      }),
    );
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
