import { createPubSub } from '@graphql-yoga/subscription';
import { GraphQLBoolean, GraphQLInt, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { loadConfig } from '../../src/config';
import { createHttpServer, type HttpServer } from '../../src/http';
import { RateLimiter } from '../../src/limits/rate-limiter';
import { Metrics } from '../../src/metrics/metrics';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { connectWs } from '../helpers/graphql-client';
import { waitUntil } from '../helpers/processes';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { testEnv } from '../helpers/test-env';

/**
 * The API has no subscription field yet, so the real http server runs here with a tiny schema
 * whose subscription stays open, to prove the per-socket cap and the active-subscriptions gauge.
 */
describe('graphql-ws: subscriptions per socket and the active gauge', () => {
  let api: TestApi;
  let server: HttpServer;
  let metrics: Metrics;
  let url: string;
  let acme: TestWorkspace;

  beforeAll(async () => {
    api = await startTestApi();
    acme = await createWorkspace(api.app.core);
    const pubSub = createPubSub<{ tick: [number] }>();
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean, resolve: () => true } } }),
      subscription: new GraphQLObjectType({
        name: 'Subscription',
        fields: { ticks: { type: GraphQLInt, subscribe: () => pubSub.subscribe('tick'), resolve: (value: number) => value } },
      }),
    });
    const config = loadConfig(testEnv(api.database.url, api.config.redisPrefix, { MAX_SUBSCRIPTIONS_PER_SOCKET: '2' }));
    const { core } = api.app;
    metrics = new Metrics('api', core.logger);
    const rateLimiter = new RateLimiter(core.redis, { perMinute: 100, prefix: config.redisPrefix, logger: core.logger });
    server = await createHttpServer({ config, logger: core.logger, schema, db: core.db, redis: core.redis, auth: core.services.auth, metrics, rateLimiter, queues: [] });
    url = `ws://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
  });
  afterAll(async () => {
    await server.close();
    await api.stop();
  });

  const activeGauge = async () => Number(/byok_graphql_subscriptions_active\{process="api"\} (\d+)/.exec((await metrics.scrape()).body)?.[1]);

  it('refuses the subscription past MAX_SUBSCRIPTIONS_PER_SOCKET with a clear error, and counts the open ones', async () => {
    const ws = connectWs(url, acme.adminToken);
    try {
      const first = ws.subscribe('subscription { ticks }');
      const second = ws.subscribe('subscription { ticks }');
      await waitUntil(async () => (await activeGauge()) === 2, 5_000, 'two active subscriptions');
      const third = ws.subscribe('subscription { ticks }');
      await expect(third.next(2_000)).rejects.toThrow(/RATE_LIMITED/);
      expect(JSON.stringify(third.errors)).toContain('the limit is 2 (MAX_SUBSCRIPTIONS_PER_SOCKET)');
      expect(await activeGauge()).toBe(2);

      // Completing one frees a slot.
      first.unsubscribe();
      await waitUntil(async () => (await activeGauge()) === 1, 5_000, 'one active subscription');
      ws.subscribe('subscription { ticks }');
      await waitUntil(async () => (await activeGauge()) === 2, 5_000, 'two active subscriptions again');
      expect(second.errors).toEqual([]);
    } finally {
      await ws.dispose();
    }
    // Closing the socket ends its subscriptions.
    await waitUntil(async () => (await activeGauge()) === 0, 5_000, 'no active subscriptions');
    const text = (await metrics.scrape()).body;
    // Refused before its document was parsed, so neither its name nor its type is known.
    expect(text).toMatch(/byok_graphql_operations_total\{operation="anonymous",type="unknown",code="RATE_LIMITED",process="api"\} 1/);
    expect(text).toMatch(/byok_graphql_operations_total\{operation="anonymous",type="subscription",code="OK",process="api"\} 3/);
  });
});
