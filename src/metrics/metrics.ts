import type { Queue } from 'bullmq';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ErrorCode } from '../errors';
import { KeyErrorCode } from '../keys/key-error-code';
import type { Logger } from '../logger';
import { BoundedLabel, oneOf } from './bounded-label';

/**
 * Every metric of the service, on one registry per process (api and worker each expose their own).
 * Labels only ever hold values from closed sets or bounded, sanitised names: never a key, a token,
 * a mask, a workspace or key id, or anything a caller can make unbounded.
 */
export type ProcessName = 'api' | 'worker';

/** What a finished key test counts as: `passed`, or the lower-case KeyErrorCode it failed with. */
const KEY_TEST_RESULTS = ['passed', ...Object.values(KeyErrorCode).map((code) => code.toLowerCase())];
const KEY_HEALTHS = ['HEALTHY', 'DEGRADED', 'UNHEALTHY'];
const CALL_OUTCOMES = ['SUCCESS', 'FAILURE'];
const OPERATION_TYPES = ['query', 'mutation', 'subscription'];
const ERROR_CODES = Object.values(ErrorCode) as string[];
/** Job states worth a gauge; `failed` has its own metric. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
/** A scrape never waits long on Redis: a slow queue read leaves the gauges as they were. */
const QUEUE_SCRAPE_TIMEOUT_MS = 1_000;

export interface OperationRecord {
  readonly name?: string | null;
  readonly type?: string;
  /** The first error code of the response, if any. */
  readonly code?: string;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames = new BoundedLabel(200);
  private readonly providers = new BoundedLabel(100, 40, 'unknown');
  private readonly flipReasons = new BoundedLabel(50, 40, 'unspecified');
  private queues: readonly Queue[] = [];

  private readonly keyTests = new Counter({
    name: 'byok_key_tests_total',
    help: 'Finished key tests, by provider (built-in slug or "custom") and result ("passed" or the lower-case key error code).',
    labelNames: ['provider', 'result'],
    registers: [this.registry],
  });
  private readonly keyTestDuration = new Histogram({
    name: 'byok_key_test_duration_seconds',
    help: 'How long a key test took against its provider.',
    labelNames: ['provider'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30],
    registers: [this.registry],
  });
  private readonly runtimeReports = new Counter({
    name: 'byok_runtime_reports_accepted_total',
    help: 'Runtime model-call reports accepted, by outcome.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly healthFlips = new Counter({
    name: 'byok_key_health_flips_total',
    help: 'Key health changes, by the health reached and the reason.',
    labelNames: ['to', 'reason'],
    registers: [this.registry],
  });
  private readonly operations = new Counter({
    name: 'byok_graphql_operations_total',
    help: 'GraphQL operations, by operation name (bounded; "other" past the cap), type, and first error code ("OK" when none).',
    labelNames: ['operation', 'type', 'code'],
    registers: [this.registry],
  });
  private readonly subscriptions = new Gauge({
    name: 'byok_graphql_subscriptions_active',
    help: 'Subscriptions currently open over graphql-ws.',
    registers: [this.registry],
  });

  constructor(
    readonly process: ProcessName,
    private readonly logger: Logger,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'byok_' });
    this.registry.setDefaultLabels({ process });
    // prom-client calls collect() with `this` bound to the gauge, so the counts come through a closure.
    const queueCounts = () => this.queueCounts();
    new Gauge({
      name: 'byok_queue_jobs',
      help: 'Jobs in each queue by state, read from Redis at scrape time.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const counts = await queueCounts();
        this.reset();
        for (const [queue, byState] of counts) for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
      },
    });
    new Gauge({
      name: 'byok_queue_failed_jobs',
      help: 'Failed jobs kept in each queue, read from Redis at scrape time.',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        const counts = await queueCounts();
        this.reset();
        for (const [queue, byState] of counts) this.set({ queue }, byState.failed ?? 0);
      },
    });
  }

  /** The queues whose depth and failures are reported; the composition root hands them over. */
  watchQueues(queues: readonly Queue[]): void {
    this.queues = queues;
  }

  keyTestFinished(provider: { slug: string; builtIn: boolean }, result: 'passed' | KeyErrorCode, durationSeconds: number): void {
    const providerLabel = provider.builtIn ? this.providers.of(provider.slug) : 'custom';
    this.keyTests.inc({ provider: providerLabel, result: oneOf(result.toLowerCase(), KEY_TEST_RESULTS) });
    this.keyTestDuration.observe({ provider: providerLabel }, durationSeconds);
  }

  runtimeReportsAccepted(outcome: 'SUCCESS' | 'FAILURE', count = 1): void {
    this.runtimeReports.inc({ outcome: oneOf(outcome, CALL_OUTCOMES) }, count);
  }

  /** `reason` is a short identifier from code (e.g. "invalid_key", "failure_ratio", "probe_passed"). */
  healthFlipped(to: 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY', reason: string): void {
    this.healthFlips.inc({ to: oneOf(to, KEY_HEALTHS), reason: this.flipReasons.of(reason) });
  }

  operationFinished(record: OperationRecord): void {
    this.operations.inc({
      operation: this.operationNames.of(record.name),
      type: record.type ? oneOf(record.type, OPERATION_TYPES) : 'unknown',
      code: record.code ? oneOf(record.code, ERROR_CODES) : 'OK',
    });
  }

  subscriptionOpened(): void {
    this.subscriptions.inc();
  }

  subscriptionClosed(): void {
    this.subscriptions.dec();
  }

  /** Prometheus text exposition of every metric. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private queueCountsPromise?: Promise<Map<string, Record<string, number>>>;

  /** Both queue gauges share one read per scrape. */
  private queueCounts(): Promise<Map<string, Record<string, number>>> {
    this.queueCountsPromise ??= this.readQueueCounts().finally(() => {
      this.queueCountsPromise = undefined;
    });
    return this.queueCountsPromise;
  }

  private async readQueueCounts(): Promise<Map<string, Record<string, number>>> {
    const counts = new Map<string, Record<string, number>>();
    await Promise.all(
      this.queues.map(async (queue) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const read = queue.getJobCounts(...QUEUE_STATES, 'failed');
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${QUEUE_SCRAPE_TIMEOUT_MS} ms`)), QUEUE_SCRAPE_TIMEOUT_MS);
          });
          counts.set(queue.name, await Promise.race([read, timeout]));
        } catch (error) {
          this.logger.warn({ queue: queue.name, err: { message: (error as Error).message } }, 'could not read queue counts for metrics');
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return counts;
  }
}
