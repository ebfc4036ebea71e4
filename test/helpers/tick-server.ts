import { createLoaders } from '../../src/loaders';
import { createPubSub } from '@graphql-yoga/subscription';
import { GraphQLBoolean, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { loadConfig } from '../../src/config';
import type { GraphQLContext } from '../../src/context';
import { createHttpServer, type HttpServer } from '../../src/http';
import { RateLimiter } from '../../src/limits/rate-limiter';
import { Metrics } from '../../src/metrics/metrics';
import type { TestApi } from './test-api';
import { testEnv } from './test-env';

/**
 * The real http server (Apollo, graphql-ws, limits, playground) over a tiny schema whose
 * subscription `ticks` stays open until a tick is published: the API has no subscription field
 * yet, and these tests need one. Each event names the role of the socket's token.
 */
export interface TickServer {
  readonly server: HttpServer;
  readonly metrics: Metrics;
  readonly baseUrl: string;
  readonly wsUrl: string;
  tick(value: string): void;
  close(): Promise<void>;
}

export async function startTickServer(api: TestApi, env: Record<string, string> = {}): Promise<TickServer> {
  const pubSub = createPubSub<{ tick: [string] }>();
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean, resolve: () => true } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        ticks: {
          type: GraphQLString,
          subscribe: () => pubSub.subscribe('tick'),
          resolve: (value: string, _args: unknown, context: GraphQLContext) => `${context.viewer?.role ?? 'anonymous'}:${value}`,
        },
      },
    }),
  });
  const config = loadConfig(testEnv(api.database.url, api.config.redisPrefix, env));
  const { core } = api.app;
  const metrics = new Metrics('api', core.logger);
  const rateLimiter = new RateLimiter(core.redis, { perMinute: 100, prefix: config.redisPrefix, logger: core.logger });
  const server = await createHttpServer({ config, logger: core.logger, schema, db: core.db, redis: core.redis, auth: core.services.auth, createLoaders: () => createLoaders(core.db), metrics, rateLimiter, queues: [] });
  const port = await server.listen(0, '127.0.0.1');
  return {
    server,
    metrics,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    tick: (value) => pubSub.publish('tick', value),
    close: () => server.close(),
  };
}
