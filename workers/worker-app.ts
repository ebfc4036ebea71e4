import 'reflect-metadata';
import type { Worker } from 'bullmq';
import { createCore, type Core } from '../src/app';
import type { Config } from '../src/config';
import type { Logger } from '../src/logger';
import { Metrics } from '../src/metrics/metrics';
import { createOpsServer } from '../src/metrics/ops-server';
import { closeRedis, createRedis } from '../src/redis/redis-clients';

export interface WorkerApp {
  readonly core: Core;
  readonly workers: readonly Worker[];
  /** Key tests and health flips are counted here; served on WORKER_PORT /metrics. */
  readonly metrics: Metrics;
  /** The port /metrics and /healthz listen on, once ready() resolved. */
  readonly port: () => number | undefined;
  /** Resolves once Redis answers, so callers know the worker is really connected. */
  ready(): Promise<void>;
  /** Graceful: active jobs finish, no new ones start, then every connection closes. */
  stop(): Promise<void>;
}

export function createWorkerApp(config: Config, options: { logger?: Logger } = {}): WorkerApp {
  const core = createCore(config, { logger: options.logger, name: 'worker' });
  // BullMQ workers block on Redis and must never give up a command: maxRetriesPerRequest null.
  const connection = createRedis(config.redisUrl, 'worker', core.logger, 'worker:bullmq');
  const workers: Worker[] = [];
  const metrics = new Metrics('worker', core.logger);
  const opsServer = createOpsServer({ metrics, metricsToken: config.metricsToken, logger: core.logger });
  let port: number | undefined;

  let stopping: Promise<void> | undefined;
  return {
    core,
    workers,
    metrics,
    port: () => port,
    ready: async () => {
      port = await opsServer.listen(config.workerPort, config.host);
      await connection.ping();
      core.logger.info({ processors: workers.map((w) => w.name), port }, 'worker ready');
    },
    stop: () => {
      stopping ??= (async () => {
        core.logger.info('worker shutting down');
        await Promise.all(workers.map((worker) => worker.close()));
        await opsServer.close();
        await closeRedis(connection);
        await core.close();
        core.logger.info('worker stopped');
      })();
      return stopping;
    },
  };
}
