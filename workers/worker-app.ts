import 'reflect-metadata';
import { Worker } from 'bullmq';
import { createCore, type Core } from '../src/app';
import type { Config } from '../src/config';
import { bullPrefix, QueueName } from '../src/jobs/queues';
import { KeyTestRecorder } from '../src/keys/key-test-recorder';
import type { Logger } from '../src/logger';
import { Metrics } from '../src/metrics/metrics';
import { createOpsServer } from '../src/metrics/ops-server';
import { closeRedis, createRedis } from '../src/redis/redis-clients';
import { RuntimeCounters } from '../src/runtime/runtime-counters';
import { createKeyTestProcessor, type KeyTestProcessorDeps } from './key-test.processor';
import { ProviderRateLimit } from './provider-rate-limit';
import { createRuntimeEventsProcessor, RUNTIME_EVENTS_CONCURRENCY } from './runtime-events.processor';
import { createSweepProcessor, installSweepScheduler } from './scheduler.processor';

export interface WorkerApp {
  readonly core: Core;
  readonly workers: readonly Worker[];
  /** Key tests and health flips are counted here; served on WORKER_PORT /metrics. */
  readonly metrics: Metrics;
  /** The port /metrics and /healthz listen on, once ready() resolved. */
  readonly port: () => number | undefined;
  /** Resolves once Redis and Postgres answer and the sweep scheduler is installed. */
  ready(): Promise<void>;
  /** Graceful: active jobs finish, no new ones start, then every connection closes. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  readonly logger?: Logger;
  /** Hooks for later stages (events, selections). */
  readonly onResult?: KeyTestProcessorDeps['onResult'];
  readonly onTesting?: KeyTestProcessorDeps['onTesting'];
}

export function createWorkerApp(config: Config, options: WorkerOptions = {}): WorkerApp {
  const core = createCore(config, { logger: options.logger, name: 'worker' });
  const { logger, db, services } = core;
  // BullMQ workers block on Redis and must never give up a command: maxRetriesPerRequest null.
  const connection = createRedis(config.redisUrl, 'worker', logger, 'worker:bullmq');
  const prefix = bullPrefix(config.redisPrefix);
  const lock = { lockDuration: config.keyTests.jobLockMs, stalledInterval: config.keyTests.jobLockMs, maxStalledCount: 3 };
  const metrics = new Metrics('worker', logger);
  const opsServer = createOpsServer({ metrics, metricsToken: config.metricsToken, logger });
  let port: number | undefined;

  const recorder = new KeyTestRecorder(db, services.audit, config.keyTests, services.selections, services.workspaceEvents);
  const counters = new RuntimeCounters(core.redis, config.redisPrefix, config.runtimeHealth);
  const keyTests = new Worker(
    QueueName.KEY_TESTS,
    createKeyTestProcessor({
      config,
      logger,
      vault: services.vault,
      recorder,
      rateLimit: new ProviderRateLimit(core.redis, config.redisPrefix, config.keyTests.perProviderPerSecond),
      onTesting: options.onTesting,
      onResult: async (context, outcome, result) => {
        metrics.keyTestFinished(context.provider, outcome.status === 'failed' ? outcome.failure.code : 'passed', outcome.latencyMs / 1000);
        if (result.healthChanged) metrics.healthFlipped(result.healthChanged.to, `test_${outcome.status}`);
        // A pass of the current secret is the fresh start runtime counting begins from again.
        if (result.applied && outcome.status === 'passed') await counters.clear(context.key.id, context.key.secretVersion);
        await options.onResult?.(context, outcome, result);
      },
    }),
    { connection, prefix, concurrency: config.keyTests.concurrency, autorun: false, ...lock },
  );
  const scheduler = new Worker(QueueName.SCHEDULER, createSweepProcessor({ db, queues: core.queues, config, logger }), {
    connection,
    prefix,
    concurrency: 1,
    autorun: false,
    ...lock,
  });
  const runtimeEvents = new Worker(
    QueueName.RUNTIME_EVENTS,
    createRuntimeEventsProcessor({ db, counters, health: services.keyHealth, queues: core.queues, metrics, logger }),
    { connection, prefix, concurrency: RUNTIME_EVENTS_CONCURRENCY, autorun: false, ...lock },
  );
  const workers = [keyTests, scheduler, runtimeEvents];
  for (const worker of workers) {
    worker.on('error', (error) => logger.warn({ queue: worker.name, err: { message: error.message } }, 'worker connection problem'));
    worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        logger.info({ queue: worker.name, jobId: job.id, keyId: job.data?.keyId, reason: error.message }, 'job finished as failed');
      }
    });
  }

  let stopping: Promise<void> | undefined;
  return {
    core,
    workers,
    metrics,
    port: () => port,
    ready: async () => {
      port = await opsServer.listen(config.workerPort, config.host);
      await connection.ping();
      await core.database.ready;
      await installSweepScheduler(core.queues, config);
      // Redis may come back empty (a restart without persistence): the scheduler must exist again.
      core.redis.on('ready', () => {
        installSweepScheduler(core.queues, config).catch((error: unknown) => logger.warn({ err: error }, 'could not reinstall the scheduler'));
      });
      for (const worker of workers) {
        worker.run().catch((error: unknown) => logger.error({ err: error, queue: worker.name }, 'worker stopped running'));
      }
      logger.info({ queues: workers.map((w) => w.name), concurrency: config.keyTests.concurrency, port }, 'worker ready');
    },
    stop: () => {
      stopping ??= (async () => {
        logger.info('worker shutting down');
        await Promise.all(workers.map((worker) => worker.close()));
        await opsServer.close();
        await closeRedis(connection);
        await core.close();
        logger.info('worker stopped');
      })();
      return stopping;
    },
  };
}
