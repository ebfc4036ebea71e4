import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { connectWs } from '../helpers/graphql-client';
import { waitUntil } from '../helpers/processes';
import { startTestApi, type TestApi } from '../helpers/test-api';

const WATCH = 'subscription { keyStatusChanged { id } }';

/** The per-socket cap and the active-subscriptions gauge, on the real keyStatusChanged subscription. */
describe('graphql-ws: subscriptions per socket and the active gauge', () => {
  let api: TestApi;
  let acme: TestWorkspace;

  beforeAll(async () => {
    api = await startTestApi({ env: { MAX_SUBSCRIPTIONS_PER_SOCKET: '2' } });
    acme = await createWorkspace(api.app.core);
  });
  afterAll(() => api.stop());

  const activeGauge = async () => Number(/byok_graphql_subscriptions_active\{process="api"\} (\d+)/.exec((await api.app.metrics.scrape()).body)?.[1]);

  it('refuses the subscription past MAX_SUBSCRIPTIONS_PER_SOCKET with a clear error, and counts the open ones', async () => {
    const ws = connectWs(api.wsUrl, acme.adminToken);
    try {
      const first = ws.subscribe(WATCH);
      const second = ws.subscribe(WATCH);
      await waitUntil(async () => (await activeGauge()) === 2, 5_000, 'two active subscriptions');
      const third = ws.subscribe(WATCH);
      await expect(third.next(2_000)).rejects.toThrow(/RATE_LIMITED/);
      expect(JSON.stringify(third.errors)).toContain('the limit is 2 (MAX_SUBSCRIPTIONS_PER_SOCKET)');
      expect(await activeGauge()).toBe(2);

      // Completing one frees a slot.
      first.unsubscribe();
      await waitUntil(async () => (await activeGauge()) === 1, 5_000, 'one active subscription');
      ws.subscribe(WATCH);
      await waitUntil(async () => (await activeGauge()) === 2, 5_000, 'two active subscriptions again');
      expect(second.errors).toEqual([]);
    } finally {
      await ws.dispose();
    }
    // Closing the socket ends its subscriptions.
    await waitUntil(async () => (await activeGauge()) === 0, 5_000, 'no active subscriptions');
    const text = (await api.app.metrics.scrape()).body;
    // Refused before its document was parsed, so neither its name nor its type is known.
    expect(text).toMatch(/byok_graphql_operations_total\{operation="anonymous",type="unknown",code="RATE_LIMITED",process="api"\} 1/);
    expect(text).toMatch(/byok_graphql_operations_total\{operation="anonymous",type="subscription",code="OK",process="api"\} 3/);
  });
});
