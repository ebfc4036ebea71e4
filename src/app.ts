import 'reflect-metadata';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { AuditResolver } from './audit/audit.resolver';
import { AuditService, SYSTEM_WORKER } from './audit/audit.service';
import { AppKeyResolver } from './auth/app-key.resolver';
import { AppKeyService } from './auth/app-key.service';
import { AuthService } from './auth/auth.service';
import { ViewerResolver } from './auth/viewer.resolver';
import type { Config } from './config';
import { createDataSource } from './db/data-source';
import { DatabaseConnector } from './db/database-connector';
import { type AppKeyRevokedEvent, createEventBus, type EventBus, Topic } from './events/event-bus';
import { SubscriptionResolver } from './events/subscription.resolver';
import { TransactionOutbox } from './events/transaction-outbox';
import { WorkspaceEvents } from './events/workspace-events';
import { createHttpServer, type HttpServer } from './http';
import { JobQueues } from './jobs/queues';
import { KeyHealthService } from './keys/key-health.service';
import { KeyHealth } from './keys/key-status';
import { KeyTestResolver } from './keys/key-test.resolver';
import { KeyTestService } from './keys/key-test.service';
import { ProviderKeyResolver } from './keys/provider-key.resolver';
import { ProviderKeyService } from './keys/provider-key.service';
import { RateLimiter } from './limits/rate-limiter';
import { createLoaders } from './loaders';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics/metrics';
import { ModelResolver } from './models/model.resolver';
import { ModelService } from './models/model.service';
import { ProviderResolver } from './providers/provider.resolver';
import { ProviderService } from './providers/provider.service';
import { closeRedis, createRedis } from './redis/redis-clients';
import { RuntimeReportResolver } from './runtime/runtime-report.resolver';
import { RuntimeReportService } from './runtime/runtime-report.service';
import { buildAppSchema, type ResolverInstances } from './schema';
import { Vault } from './secrets/vault';
import { SelectionResolver } from './selections/selection.resolver';
import { SelectionService } from './selections/selection.service';
import { WorkspaceService } from './workspaces/workspace.service';

/** The pieces both processes share: connections and domain services. */
export interface Core {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: DataSource;
  readonly database: DatabaseConnector;
  readonly redis: Redis;
  readonly events: EventBus;
  /** The process's door to the queues, on the fail-fast request client. */
  readonly queues: JobQueues;
  readonly services: Services;
  close(): Promise<void>;
}

export interface Services {
  readonly auth: AuthService;
  readonly audit: AuditService;
  readonly appKeys: AppKeyService;
  readonly workspaces: WorkspaceService;
  readonly providers: ProviderService;
  readonly keys: ProviderKeyService;
  readonly keyTests: KeyTestService;
  readonly models: ModelService;
  readonly selections: SelectionService;
  readonly workspaceEvents: WorkspaceEvents;
  /** Runtime health flips; register KeyHealthListeners here (onChange). */
  readonly keyHealth: KeyHealthService;
  readonly vault: Vault;
}

export function createServices(
  db: DataSource,
  config: Config,
  logger: Logger,
  bus: EventBus,
  queues: JobQueues,
  outbox: TransactionOutbox,
): Services {
  const audit = new AuditService(db);
  const vault = new Vault(config.keyring);
  const workspaceEvents = new WorkspaceEvents(db, bus, outbox);
  const models = new ModelService(db);
  const selections = new SelectionService(db, models, audit, workspaceEvents);
  const providers = new ProviderService(db, audit, selections);
  const keys = new ProviderKeyService(db, vault, audit, providers, selections, workspaceEvents);
  const keyTests = new KeyTestService(db, queues, keys, logger);
  keys.onLifecycle(keyTests);
  const keyHealth = new KeyHealthService(db, audit, config.keyTests);
  keyHealth.onChange({
    async inTransaction(tx, key, change) {
      workspaceEvents.keyChanged(tx, key);
      // Only UNHEALTHY locks models; DEGRADED keys still unlock theirs.
      if (change.to === KeyHealth.UNHEALTHY || change.from === KeyHealth.UNHEALTHY) {
        await selections.reevaluate(tx, key.workspaceId, SYSTEM_WORKER);
      }
    },
  });
  return {
    auth: new AuthService(db, logger),
    audit,
    appKeys: new AppKeyService(db, audit, bus),
    workspaces: new WorkspaceService(db),
    providers,
    keys,
    keyTests,
    models,
    selections,
    workspaceEvents,
    keyHealth,
    vault,
  };
}

export function createCore(config: Config, options: { logger?: Logger; name: string; poolSize?: number }): Core {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = createDataSource({ url: config.databaseUrl, poolSize: options.poolSize, applicationName: `byok-${options.name}` });
  const outbox = new TransactionOutbox((error) => logger.error({ err: error }, 'publishing after commit failed'));
  const database = new DatabaseConnector(db, logger, [outbox]);
  const redis = createRedis(config.redisUrl, 'request', logger, `${options.name}:request`);
  const events = createEventBus({ redisUrl: config.redisUrl, prefix: config.redisPrefix, logger, name: options.name });
  const queues = new JobQueues(redis, config.redisPrefix, config.keyTests, (error) =>
    logger.warn({ err: { message: error.message } }, 'queue connection problem'),
  );
  const services = createServices(db, config, logger, events, queues, outbox);
  database.start();
  return {
    config,
    logger,
    db,
    database,
    redis,
    events,
    queues,
    services,
    async close() {
      await queues.close();
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
  const metrics = new Metrics('api', core.logger);
  const resolvers: ResolverInstances = new Map<Function, object>([
    [ViewerResolver, new ViewerResolver()],
    [AppKeyResolver, new AppKeyResolver(services.appKeys)],
    [ProviderResolver, new ProviderResolver(services.providers)],
    [ProviderKeyResolver, new ProviderKeyResolver(services.keys)],
    [KeyTestResolver, new KeyTestResolver(services.keyTests)],
    [AuditResolver, new AuditResolver(services.audit)],
    [ModelResolver, new ModelResolver(services.models)],
    [SelectionResolver, new SelectionResolver(services.selections)],
    [SubscriptionResolver, new SubscriptionResolver()],
    [RuntimeReportResolver, new RuntimeReportResolver(new RuntimeReportService(core.db, core.queues, metrics, core.logger))],
  ]);
  const schema = await buildAppSchema({ resolvers, pubSub: core.events.pubSub });
  // Every BullMQ queue the api enqueues into: its depth goes to /metrics, its jobs to /admin/queues.
  const queues: Queue[] = core.queues.all;
  metrics.watchQueues(queues);
  const rateLimiter = new RateLimiter(core.redis, { perMinute: config.rateLimitPerMinute, prefix: config.redisPrefix, logger: core.logger });
  const http = await createHttpServer({
    config,
    logger: core.logger,
    schema,
    db: core.db,
    redis: core.redis,
    auth: services.auth,
    createLoaders: (workspaceId) => createLoaders(core.db, services.models, workspaceId),
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
