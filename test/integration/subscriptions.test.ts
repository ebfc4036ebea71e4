import WebSocket from 'ws';
import { Role } from '../../src/auth/role';
import { type FakeProvider, startAnthropicFake, startOpenAiFake } from '../helpers/fake-providers';
import { sweepDueKeys } from '../../src/keys/key-test-scheduler';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { connectWs } from '../helpers/graphql-client';
import { ADD_KEY, DELETE_KEY, fakeSecret, providerIds } from '../helpers/key-operations';
import { waitUntil } from '../helpers/processes';
import { TestRedisServer } from '../helpers/redis-server';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { uniquePrefix } from '../helpers/test-env';
import { startTestWorker, type TestWorker } from '../helpers/test-worker';
import { waitForKey } from '../helpers/waiting';

const KEY_STATUS = 'subscription { keyStatusChanged { id testStatus health deleted maskedKey lastError { code } provider { slug } } }';
const AVAILABILITY = 'subscription { modelAvailabilityChanged { modelId available provider { slug } } }';
const SELECTION = 'subscription { modelSelectionChanged { purpose status effectiveModel { modelId } } }';

const model = (id: string) => ({ id, object: 'model', created: 1_715_367_049, owned_by: 'system' });

/** Two api processes on one Redis: mutations go to A, dashboards watch B, the worker publishes too. */
describe('live status over graphql-ws', () => {
  const prefix = uniquePrefix('subs');
  let apiA: TestApi;
  let apiB: TestApi;
  let worker: TestWorker;
  let acme: TestWorkspace;
  let globex: TestWorkspace;
  let ids: Record<string, string>;
  let fake: FakeProvider;

  beforeAll(async () => {
    apiA = await startTestApi({ redisPrefix: prefix });
    // Many subscribe cycles on one token: the per-token rate limit is not what is tested here.
    apiB = await startTestApi({ database: apiA.database, redisPrefix: prefix, env: { RATE_LIMIT_PER_MINUTE: '0' } });
    worker = await startTestWorker(apiA.database, prefix);
    acme = await createWorkspace(apiA.app.core, 'Acme');
    globex = await createWorkspace(apiA.app.core, 'Globex');
    ids = await providerIds(apiA, acme.adminToken);
    fake = await startOpenAiFake({ defaultScenario: 'valid', models: [model('gpt-4o'), model('gpt-4o-mini')] });
  });
  afterAll(async () => {
    await worker.stop();
    await apiB.stop();
    await apiA.stop();
    await fake.close();
  });

  it('shows a key test as UNTESTED → TESTING → PASSED, in order, on another api process', async () => {
    const ws = apiB.ws(acme.adminToken);
    const events = ws.subscribe<{ keyStatusChanged: Record<string, any> }>(KEY_STATUS);
    await new Promise((resolve) => setTimeout(resolve, 200));
    fake.setDelay(300);
    const added = await apiA.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: fake.url } }, acme.adminToken);
    const id = added.data!.addProviderKey.id;
    const got = (await events.waitFor(3)).map((e) => e.keyStatusChanged);
    fake.setDelay(0);
    expect(got.map((k) => [k.id, k.testStatus])).toEqual([
      [id, 'UNTESTED'],
      [id, 'TESTING'],
      [id, 'PASSED'],
    ]);
    expect(got[2]).toMatchObject({ health: 'HEALTHY', deleted: false, provider: { slug: 'openai' }, lastError: null });
    expect(got[2].maskedKey).toContain('…');
    await ws.dispose();
  });

  it('announces availability and selection changes, and says when a key was deleted', async () => {
    const ws = await createWorkspace(apiA.app.core, 'Changes');
    const conn = apiB.ws(ws.adminToken);
    const keys = conn.subscribe<{ keyStatusChanged: Record<string, any> }>(KEY_STATUS);
    const availability = conn.subscribe<{ modelAvailabilityChanged: { modelId: string }[] }>(AVAILABILITY);
    const selections = conn.subscribe<{ modelSelectionChanged: Record<string, any> }>(SELECTION);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const added = await apiA.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: fake.url } }, ws.adminToken);
    const id = added.data!.addProviderKey.id;
    await waitForKey(apiA, ws.adminToken, id, ['PASSED']);
    const unlocked = await availability.next();
    expect(unlocked.modelAvailabilityChanged.map((m) => m.modelId).sort()).toEqual(['gpt-4o', 'gpt-4o-mini']);

    const models = (await apiA.gql('{ availableModels { id modelId } }', undefined, ws.adminToken)).data!.availableModels;
    const gpt4o = models.find((m: { modelId: string }) => m.modelId === 'gpt-4o');
    await apiA.gql('mutation($input: SelectModelInput!) { selectModel(input: $input) { status } }', { input: { purpose: 'WRITING', modelId: gpt4o.id } }, ws.adminToken);
    expect((await selections.next()).modelSelectionChanged).toMatchObject({ purpose: 'WRITING', status: 'ACTIVE', effectiveModel: { modelId: 'gpt-4o' } });

    await apiA.gql(DELETE_KEY, { id }, ws.adminToken);
    expect((await selections.next()).modelSelectionChanged).toMatchObject({ status: 'BLOCKED', effectiveModel: null });
    expect((await availability.next()).modelAvailabilityChanged).toEqual([]);
    await waitUntil(() => keys.events.some((e) => e.keyStatusChanged.deleted), 10_000, 'the deletion event');
    const deletion = keys.events.find((e) => e.keyStatusChanged.deleted)!.keyStatusChanged;
    expect(deletion).toMatchObject({ id, deleted: true, provider: { slug: 'openai' } });
    await conn.dispose();
  });

  it('failures reported to one api flip the key on a dashboard watching the other, the selection falls back, and a probe brings it back', async () => {
    const ws = await createWorkspace(apiA.app.core, 'Flip');
    const service = await ws.token(Role.SERVICE);
    const anthropic = await startAnthropicFake({ defaultScenario: 'valid', models: [{ id: 'claude-sonnet-4-5', type: 'model', display_name: 'Claude', created_at: '2025-01-01T00:00:00Z' }] });
    try {
      const primaryKey = await apiA.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: fake.url } }, ws.adminToken);
      const backupKey = await apiA.gql(ADD_KEY, { input: { providerId: ids.anthropic, apiKey: fakeSecret('anthropic'), endpoint: anthropic.url } }, ws.adminToken);
      const keyId = primaryKey.data!.addProviderKey.id;
      await waitForKey(apiA, ws.adminToken, keyId, ['PASSED']);
      await waitForKey(apiA, ws.adminToken, backupKey.data!.addProviderKey.id, ['PASSED']);
      const models = (await apiA.gql('{ availableModels { id modelId } }', undefined, ws.adminToken)).data!.availableModels as { id: string; modelId: string }[];
      const idOf = (modelId: string) => models.find((m) => m.modelId === modelId)!.id;
      await apiA.gql('mutation($input: SelectModelInput!) { selectModel(input: $input) { status } }', { input: { purpose: 'WRITING', modelId: idOf('gpt-4o'), fallbackModelIds: [idOf('claude-sonnet-4-5')] } }, ws.adminToken);

      const dashboard = apiB.ws(ws.adminToken);
      const keys = dashboard.subscribe<{ keyStatusChanged: { id: string; health: string } }>(KEY_STATUS);
      const selections = dashboard.subscribe<{ modelSelectionChanged: Record<string, any> }>(SELECTION);
      const availability = dashboard.subscribe<{ modelAvailabilityChanged: { modelId: string }[] }>(AVAILABILITY);
      await new Promise((resolve) => setTimeout(resolve, 200));

      // The provider starts rejecting the key at runtime: the SERVICE reports it to api A.
      const reported = await apiA.gql('mutation($reports: [ModelCallReport!]!) { reportModelCalls(reports: $reports) }', { reports: [{ keyId, outcome: 'FAILURE', httpStatus: 401, errorCode: 'invalid_api_key' }] }, service);
      expect(reported.data!.reportModelCalls).toBe(1);
      await waitUntil(() => keys.events.some((e) => e.keyStatusChanged.id === keyId && e.keyStatusChanged.health === 'UNHEALTHY'), 20_000, 'the flip on the other api');
      expect((await selections.next(20_000)).modelSelectionChanged).toMatchObject({ status: 'FALLBACK', effectiveModel: { modelId: 'claude-sonnet-4-5' } });
      expect((await availability.next(20_000)).modelAvailabilityChanged.map((m) => m.modelId)).toEqual(['claude-sonnet-4-5']);
      expect((await apiB.gql('{ availableModels { modelId } }', undefined, ws.adminToken)).data!.availableModels).toEqual([{ modelId: 'claude-sonnet-4-5' }]);

      // The recovery probe (made due now) passes: the key is HEALTHY and the selection returns.
      await apiA.app.core.db.query('UPDATE provider_keys SET next_test_at = now() WHERE id = $1', [keyId]);
      await sweepDueKeys(apiA.app.core.db, apiA.app.core.queues);
      await waitUntil(() => keys.events.some((e) => e.keyStatusChanged.id === keyId && e.keyStatusChanged.health === 'HEALTHY'), 20_000, 'the recovery');
      expect((await selections.next(20_000)).modelSelectionChanged).toMatchObject({ status: 'ACTIVE', effectiveModel: { modelId: 'gpt-4o' } });
      await dashboard.dispose();
    } finally {
      await anthropic.close();
    }
  }, 90_000);

  it('never delivers another workspace’s events, on any subscription', async () => {
    const mine = apiB.ws(globex.adminToken);
    const streams = [KEY_STATUS, AVAILABILITY, SELECTION].map((q) => mine.subscribe(q));
    const theirs = apiB.ws(acme.adminToken);
    const control = theirs.subscribe<{ keyStatusChanged: { id: string } }>(KEY_STATUS);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const added = await apiA.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: fake.url } }, acme.adminToken);
    await waitForKey(apiA, acme.adminToken, added.data!.addProviderKey.id, ['PASSED']);
    await control.waitFor(3);
    await apiA.gql(DELETE_KEY, { id: added.data!.addProviderKey.id }, acme.adminToken);
    await control.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const stream of streams) expect(stream.events).toEqual([]);
    await Promise.all([mine.dispose(), theirs.dispose()]);
  });

  it('refuses roles a subscription does not allow, and SERVICE may watch selections', async () => {
    const service = apiB.ws(await acme.token(Role.SERVICE));
    const refused = service.subscribe(KEY_STATUS);
    const allowed = service.subscribe(SELECTION);
    await waitUntil(() => refused.errors.length > 0, 5_000, 'the refusal');
    expect(JSON.stringify(refused.errors)).toContain('FORBIDDEN');
    expect(allowed.errors).toEqual([]);
    await service.dispose();
  });

  it('leaves no listeners behind after 2,000 subscribe/unsubscribe cycles', async () => {
    const target = apiB.app.core.events.target;
    // Earlier tests' sockets close asynchronously: start from a quiet server.
    await waitUntil(() => apiB.app.http.sockets.size === 0, 10_000, 'earlier sockets to close');
    const before = target.listenerCount();
    // 10 sockets × MAX_SUBSCRIPTIONS_PER_SOCKET (20) at a time, 10 rounds: 2,000 cycles.
    const sockets = Array.from({ length: 10 }, () => apiB.ws(acme.adminToken));
    for (let round = 0; round < 10; round += 1) {
      const subs = sockets.flatMap((conn) => Array.from({ length: 20 }, (_, i) => conn.subscribe([KEY_STATUS, AVAILABILITY, SELECTION][i % 3])));
      await waitUntil(() => target.listenerCount() >= before + 200, 30_000, 'the subscriptions to attach');
      for (const sub of subs) sub.unsubscribe();
      await waitUntil(() => target.listenerCount() === before, 30_000, 'the listeners to detach');
    }
    await Promise.all(sockets.map((conn) => conn.dispose()));
    await waitUntil(() => target.listenerCount() === before && apiB.app.http.sockets.size === 0, 10_000, 'the sockets to be forgotten');
  }, 120_000);

  it('a slow consumer does not hold back the others', async () => {
    const ws = await createWorkspace(apiA.app.core, 'Slow');
    // 300 models with long ids: every availability event is tens of kilobytes.
    const big = await startOpenAiFake({ defaultScenario: 'valid', models: Array.from({ length: 300 }, (_, i) => model(`gpt-4o-${'long-'.repeat(10)}${i}`)) });
    try {
      const steady = await apiA.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: big.url } }, ws.adminToken);
      await waitForKey(apiA, ws.adminToken, steady.data!.addProviderKey.id, ['PASSED']);
      const churn = await apiA.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: big.url } }, ws.adminToken);
      const churnId = churn.data!.addProviderKey.id;
      await waitForKey(apiA, ws.adminToken, churnId, ['PASSED']);

      const fast = apiB.ws(ws.adminToken);
      const fastEvents = fast.subscribe<{ modelAvailabilityChanged: unknown[] }>(AVAILABILITY);
      // A raw client that subscribes, then stops reading its socket altogether.
      const slow = new WebSocket(apiB.wsUrl, 'graphql-transport-ws');
      await new Promise((resolve) => slow.once('open', resolve));
      slow.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ws.adminToken}` } }));
      await new Promise((resolve) => slow.once('message', resolve));
      slow.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: AVAILABILITY } }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      (slow as unknown as { _socket: { pause(): void } })._socket.pause();

      // Each rotation announces availability twice (locked, then unlocked again): megabytes in all.
      for (let i = 0; i < 25; i += 1) {
        await apiA.gql('mutation($id: ID!, $apiKey: String!) { rotateProviderKey(id: $id, apiKey: $apiKey) { id } }', { id: churnId, apiKey: fakeSecret() }, ws.adminToken);
        await waitForKey(apiA, ws.adminToken, churnId, ['PASSED']);
      }
      await fastEvents.waitFor(50, 30_000);
      expect(fastEvents.events.every((e) => e.modelAvailabilityChanged.length === 300)).toBe(true);
      slow.terminate();
      await fast.dispose();
    } finally {
      await big.close();
    }
  }, 90_000);
});

describe('Redis restarted mid-run', () => {
  it('api and worker reconnect, nothing durable is lost, and new events flow again', async () => {
    const redis = await TestRedisServer.start();
    const prefix = uniquePrefix('restart');
    const env = { REDIS_URL: redis.url };
    const api = await startTestApi({ redisPrefix: prefix, env });
    const worker = await startTestWorker(api.database, prefix, env);
    const fake = await startOpenAiFake({ defaultScenario: 'valid', models: [model('gpt-4o')] });
    try {
      const acme = await createWorkspace(api.app.core, 'Restart');
      const ids = await providerIds(api, acme.adminToken);
      const conn = connectWs(api.wsUrl, acme.adminToken);
      const events = conn.subscribe<{ keyStatusChanged: { id: string; testStatus: string } }>(KEY_STATUS);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const first = await api.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: fake.url } }, acme.adminToken);
      await waitForKey(api, acme.adminToken, first.data!.addProviderKey.id, ['PASSED']);
      await events.waitFor(3);

      await redis.stop();
      // While Redis is away the table still answers from Postgres, and a key can still be stored.
      const during = await api.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: fake.url } }, acme.adminToken);
      expect(during.errors).toBeUndefined();
      const duringId = during.data!.addProviderKey.id;
      await redis.start();

      // The key stored during the outage is tested once the scheduler sees it due.
      await api.app.core.db.query("UPDATE provider_keys SET next_test_at = now() WHERE id = $1 AND test_status = 'UNTESTED'", [duringId]);
      await waitUntil(async () => (await waitForKey(api, acme.adminToken, duringId, ['PASSED', 'UNTESTED', 'TESTING'], 5_000)).testStatus === 'PASSED', 60_000, 'the outage key to pass');
      // And new events flow again to the same subscriber.
      const after = await api.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: fake.url } }, acme.adminToken);
      const afterId = after.data!.addProviderKey.id;
      await waitUntil(() => events.events.some((e) => e.keyStatusChanged.id === afterId && e.keyStatusChanged.testStatus === 'PASSED'), 30_000, 'events after the restart');
      const table = await api.gql('{ providerKeys { id } }', undefined, acme.adminToken);
      expect(table.data!.providerKeys).toHaveLength(3);
      await conn.dispose();
    } finally {
      await worker.stop();
      await api.stop();
      await fake.close();
      await redis.stop();
    }
  }, 120_000);
});
