import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import { bearerToken } from './auth/app-token';
import type { AuthService } from './auth/auth.service';
import { SocketRegistry } from './auth/socket-registry';
import type { Viewer } from './auth/viewer';
import type { Config } from './config';
import type { GraphQLContext } from './context';
import { AppError, ErrorCode, toClientError } from './errors';
import { jitGateway } from './graphql-executor';
import { healthRoutes } from './health/health.routes';
import { listen } from './listen';
import { operationLimitsPlugin } from './limits/operation-limits.plugin';
import type { RateLimiter } from './limits/rate-limiter';
import { wsOperationHooks } from './limits/ws-operations';
import type { Loaders } from './loaders';
import { type Logger, requestScope } from './logger';
import type { Metrics } from './metrics/metrics';
import { requestLogMiddleware, requestLogPlugin } from './observability/request-log';
import { opsRoutes } from './ops.routes';

export const GRAPHQL_PATH = '/graphql';
const SOCKET_RECHECK_MS = 60_000;
/** How long in-flight HTTP requests may finish after shutdown starts before sockets are cut. */
const DRAIN_GRACE_MS = 10_000;

export interface HttpDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly schema: GraphQLSchema;
  readonly db: DataSource;
  readonly redis: Redis;
  readonly auth: AuthService;
  readonly createLoaders: (workspaceId: string | undefined) => Loaders;
  readonly metrics: Metrics;
  readonly rateLimiter: RateLimiter;
  /** Shown on the queue dashboard and in the queue gauges. */
  readonly queues: readonly Queue[];
}

export interface HttpServer {
  readonly server: Server;
  readonly sockets: SocketRegistry;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

function unexpectedErrorReporter(logger: Logger) {
  return (error: unknown): string | undefined => {
    const requestId = requestScope.getStore()?.requestId;
    logger.error({ err: error, requestId }, 'unexpected error while resolving');
    return requestId;
  };
}

export async function createHttpServer(deps: HttpDeps): Promise<HttpServer> {
  const { config, logger, schema, auth, metrics, rateLimiter } = deps;
  const app = express();
  app.disable('x-powered-by');
  const server = createServer(app);
  const sockets = new SocketRegistry(logger);
  const reportUnexpected = unexpectedErrorReporter(logger);

  // Every request runs with its id in scope, so logs and error messages can quote it.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    requestScope.run({ requestId }, next);
  });
  app.use(healthRoutes({ db: deps.db, redis: deps.redis }));
  app.use(opsRoutes({ config, logger, metrics, auth, queues: deps.queues, graphqlPath: GRAPHQL_PATH }));

  // graphql-ws shares the HTTP server and the path with Apollo.
  // ws accepts 100 MiB messages by default; hold sockets to the same size as HTTP bodies.
  const wsServer = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: config.bodyLimitBytes });
  const limits = { maxDepth: config.maxQueryDepth, maxComplexity: config.maxQueryComplexity };
  const wsOperations = wsOperationHooks({
    schema,
    limits,
    introspection: config.introspection,
    maxOperationsPerSocket: config.maxSubscriptionsPerSocket,
    rateLimiter,
    metrics,
  });
  const wsCleanup = useServer<Record<string, unknown>, { viewer: Viewer; requestId: string }>(
    {
      schema,
      isProd: config.nodeEnv === 'production',
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
        let viewer: Viewer | undefined;
        try {
          viewer = await auth.authenticate(token);
        } catch (error) {
          logger.warn({ err: error }, 'socket refused: could not check its token');
          ctx.extra.socket.close(1013, 'Service unavailable: try again later');
          return false;
        }
        // Returning false makes graphql-ws close with 4403 Forbidden.
        if (!viewer) return false;
        ctx.extra.viewer = viewer;
        ctx.extra.requestId = randomUUID();
        sockets.add(viewer.appKeyId, ctx.extra.socket);
        return true;
      },
      onClose: (ctx) => {
        wsOperations.onClose(ctx);
        if (ctx.extra.viewer) sockets.remove(ctx.extra.viewer.appKeyId, ctx.extra.socket);
      },
      context: (ctx): GraphQLContext => ({
        requestId: ctx.extra.requestId ?? randomUUID(),
        viewer: ctx.extra.viewer,
        loaders: deps.createLoaders(ctx.extra.viewer?.workspaceId),
      }),
      // Rate, depth, complexity, introspection and per-socket limits; parses and validates.
      onSubscribe: wsOperations.onSubscribe,
      onOperation: wsOperations.onOperation,
      onComplete: wsOperations.onComplete,
      onNext: (ctx, id, _payload, _args, result) => {
        if (!result.errors) return undefined;
        const errors = result.errors.map((e) => toClientError(e.toJSON(), e, reportUnexpected));
        wsOperations.onNextErrors(ctx, id, errors);
        return { ...result, errors };
      },
      onError: (ctx, id, _payload, errors) => {
        const formatted = errors.map((e) => toClientError(e.toJSON(), e, reportUnexpected));
        wsOperations.onError(ctx, id, formatted);
        return formatted;
      },
    },
    wsServer,
  );
  sockets.startRecheck((appKeyId) => auth.isActive(appKeyId), SOCKET_RECHECK_MS);

  const apollo = new ApolloServer<GraphQLContext>({
    // The schema, executed by graphql-jit; see graphql-executor.ts.
    gateway: jitGateway(schema),
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => toClientError(formatted, error, reportUnexpected),
    plugins: [
      // Apollo's own landing page loads from a CDN; browsers get the bundled playground instead.
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL answers here, and its per-field hook costs every field of every response.
      ApolloServerPluginCacheControlDisabled(),
      operationLimitsPlugin(limits),
      requestLogPlugin(),
      ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: DRAIN_GRACE_MS }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              sockets.stop();
              for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.use(
    GRAPHQL_PATH,
    requestLogMiddleware({ logger, metrics }),
    express.json({ limit: config.bodyLimitBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<GraphQLContext> => {
        const requestId = requestScope.getStore()?.requestId ?? randomUUID();
        const header = req.headers.authorization;
        if (header === undefined) return { requestId, loaders: deps.createLoaders(undefined) };
        const viewer = await auth.authenticate(bearerToken(header)).catch((error: unknown) => {
          throw asHttpError(error);
        });
        // A token that was sent but is not valid fails the whole request, not just guarded fields.
        if (!viewer) {
          throw new GraphQLError('The app token is missing, malformed, unknown or revoked.', {
            extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
          });
        }
        await rateLimiter.enforce(viewer.appKeyId);
        return { requestId, viewer, loaders: deps.createLoaders(viewer.workspaceId) };
      },
    }),
  );

  // Body parser and other middleware errors (too large, bad JSON) answer with a code, not a stack.
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    const code = status === 413 ? ErrorCode.BAD_REQUEST : status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_SERVER_ERROR;
    if (status >= 500) logger.error({ err: error }, 'unhandled http error');
    const message = status === 413 ? `Request body is larger than ${config.bodyLimitBytes / 1024} kB (BODY_LIMIT_KB).` : status < 500 ? error.message : 'Internal error.';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });

  return {
    server,
    sockets,
    listen: (port, host) => listen(server, port, host),
    close: async () => {
      // Apollo's drain plugin stops accepting, lets in-flight requests finish, then closes sockets.
      await apollo.stop();
      wsServer.close();
    },
  };
}

function asHttpError(error: unknown): GraphQLError {
  const appError =
    error instanceof AppError ? error : new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The service is not ready. Try again shortly.');
  const status = appError.code === ErrorCode.SERVICE_UNAVAILABLE ? 503 : 500;
  return new GraphQLError(appError.message, { extensions: { code: appError.code, http: { status } } });
}

