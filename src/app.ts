import 'reflect-metadata';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { AppKeyResolver } from './auth/app-key.resolver';
import { AppKeyService } from './auth/app-key.service';
import { AuthService } from './auth/auth.service';
import { ViewerResolver } from './auth/viewer.resolver';
import type { Config } from './config';
import { createDataSource } from './db/data-source';
import { DatabaseConnector } from './db/database-connector';
import { type AppKeyRevokedEvent, createEventBus, type EventBus, Topic } from './events/event-bus';
import { createHttpServer, type HttpServer } from './http';
import { RateLimiter } from './limits/rate-limiter';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics/metrics';
import { closeRedis, createRedis } from './redis/redis-clients';
import { buildAppSchema, type ResolverInstances } from './schema';
import { WorkspaceService } from './workspaces/workspace.service';

/** The pieces both processes share: connections and domain services. */
export interface Core {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: DataSource;
  readonly database: DatabaseConnector;
  readonly redis: Redis;
  readonly events: EventBus;
  readonly services: Services;
  close(): Promise<void>;
}

export interface Services {
  readonly auth: AuthService;
  readonly appKeys: AppKeyService;
  readonly workspaces: WorkspaceService;
}

export function createCore(config: Config, options: { logger?: Logger; name: string; poolSize?: number }): Core {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = createDataSource({ url: config.databaseUrl, poolSize: options.poolSize, applicationName: `byok-${options.name}` });
  const database = new DatabaseConnector(db, logger);
  const redis = createRedis(config.redisUrl, 'request', logger, `${options.name}:request`);
  const events = createEventBus({ redisUrl: config.redisUrl, prefix: config.redisPrefix, logger, name: options.name });
  const services: Services = {
    auth: new AuthService(db, logger),
    appKeys: new AppKeyService(db, events),
    workspaces: new WorkspaceService(db),
  };
  database.start();
  return {
    config,
    logger,
    db,
    database,
    redis,
    events,
    services,
    async close() {
      await Promise.allSettled([database.stop(), events.close(), closeRedis(redis)]);
    },
  };
}

export interface ApiApp {
  readonly core: Core;
  readonly http: HttpServer;
  /** This process's metrics, served at /metrics; services count what they do here. */
  readonly metrics: Metrics;
  /** Listens on config.port (0 picks a free port) and resolves with the port. */
  start(): Promise<number>;
  /** Graceful: stop accepting, let requests finish, close sockets, then every connection. */
  stop(): Promise<void>;
}

export async function createApiApp(config: Config, options: { logger?: Logger } = {}): Promise<ApiApp> {
  if (config.usingDevelopmentKeyring) {
    (options.logger ?? createLogger(config.logLevel)).warn(
      'SECRETS_KEYRING is not set: using the PUBLIC development keyring. Secrets stored now are NOT protected. Set SECRETS_KEYRING before storing real keys.',
    );
  }
  const core = createCore(config, { logger: options.logger, name: 'api' });
  const { services } = core;
  const resolvers: ResolverInstances = new Map<Function, object>([
    [ViewerResolver, new ViewerResolver()],
    [AppKeyResolver, new AppKeyResolver(services.appKeys)],
  ]);
  const schema = await buildAppSchema({ resolvers, pubSub: core.events.pubSub });
  // Every BullMQ queue the api enqueues into: its depth goes to /metrics, its jobs to /admin/queues.
  const queues: Queue[] = [];
  const metrics = new Metrics('api', core.logger);
  metrics.watchQueues(queues);
  const rateLimiter = new RateLimiter(core.redis, { perMinute: config.rateLimitPerMinute, prefix: config.redisPrefix, logger: core.logger });
  const http = await createHttpServer({
    config,
    logger: core.logger,
    schema,
    db: core.db,
    redis: core.redis,
    auth: services.auth,
    metrics,
    rateLimiter,
    queues,
  });

  const onRevoked = (event: CustomEvent<AppKeyRevokedEvent>) =>
    http.sockets.closeAppKey(event.detail.appKeyId, 'Forbidden: token revoked');
  core.events.target.addEventListener(Topic.APP_KEY_REVOKED, onRevoked as (event: CustomEvent) => void);

  let stopping: Promise<void> | undefined;
  return {
    core,
    http,
    metrics,
    start: async () => {
      const port = await http.listen(config.port, config.host);
      core.logger.info({ port }, 'api listening');
      return port;
    },
    stop: () => {
      stopping ??= (async () => {
        core.logger.info('api shutting down');
        await http.close();
        core.events.target.removeEventListener(Topic.APP_KEY_REVOKED, onRevoked as (event: CustomEvent) => void);
        await core.close();
        core.logger.info('api stopped');
      })();
      return stopping;
    },
  };
}
