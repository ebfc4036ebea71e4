import 'reflect-metadata';
import { Worker } from 'bullmq';
import { createCore, type Core } from '../src/app';
import type { Config } from '../src/config';
import { bullPrefix, QueueName } from '../src/jobs/queues';
import { KeyTestRecorder } from '../src/keys/key-test-recorder';
import type { Logger } from '../src/logger';
import { closeRedis, createRedis } from '../src/redis/redis-clients';
import { createKeyTestProcessor, type KeyTestProcessorDeps } from './key-test.processor';
import { ProviderRateLimit } from './provider-rate-limit';
import { createSweepProcessor, installSweepScheduler } from './scheduler.processor';

export interface WorkerApp {
  readonly core: Core;
  readonly workers: readonly Worker[];
  /** Resolves once Redis answers and the sweep scheduler is installed. */
  ready(): Promise<void>;
  /** Graceful: active jobs finish, no new ones start, then every connection closes. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  readonly logger?: Logger;
  /** Hooks for later stages (events, selections, metrics). */
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

  const recorder = new KeyTestRecorder(db, services.audit, config.keyTests);
  const keyTests = new Worker(
    QueueName.KEY_TESTS,
    createKeyTestProcessor({
      config,
      logger,
      vault: services.vault,
      recorder,
      rateLimit: new ProviderRateLimit(core.redis, config.redisPrefix, config.keyTests.perProviderPerSecond),
      onResult: options.onResult,
      onTesting: options.onTesting,
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
  const workers = [keyTests, scheduler];
  for (const worker of workers) {
    worker.on('error', (error) => logger.warn({ queue: worker.name, err: { message: error.message } }, 'worker connection problem'));
    worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) logger.info({ queue: worker.name, jobId: job.id, reason: error.message }, 'job finished as failed');
    });
  }

  let stopping: Promise<void> | undefined;
  return {
    core,
    workers,
    ready: async () => {
      await connection.ping();
      await core.database.ready;
      await installSweepScheduler(core.queues, config);
      for (const worker of workers) worker.run().catch((error: unknown) => logger.error({ err: error, queue: worker.name }, "worker stopped running"));
      logger.info({ queues: workers.map((w) => w.name), concurrency: config.keyTests.concurrency }, 'worker ready');
    },
    stop: () => {
      stopping ??= (async () => {
        logger.info('worker shutting down');
        await Promise.all(workers.map((worker) => worker.close()));
        await closeRedis(connection);
        await core.close();
        logger.info('worker stopped');
      })();
      return stopping;
    },
  };
}
