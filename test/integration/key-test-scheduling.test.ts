import { randomUUID } from 'node:crypto';
import { maskSecret } from '../../src/secrets/mask';
import { Vault } from '../../src/secrets/vault';
import { type FakeProvider, startOpenAiFake } from '../helpers/fake-providers';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf } from '../helpers/graphql-client';
import { ADD_KEY, fakeSecret, providerIds } from '../helpers/key-operations';
import { runEntrypoint, type RunningProcess, waitUntil } from '../helpers/processes';
import { TestRedisServer } from '../helpers/redis-server';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { TEST_KEYRING, testEnv, uniquePrefix } from '../helpers/test-env';
import { waitForKey, waitForRuns } from '../helpers/waiting';

const OPENAI = '00000000-0000-4000-a000-000000000001';

/** Real worker processes: crashes, and several schedulers at once. */
describe('key tests across worker processes', () => {
  const prefix = uniquePrefix('sched');
  const env = { SCHEDULER_INTERVAL_MS: '500', JOB_LOCK_MS: '2000', TEST_TIMEOUT_MS: '10000', LOG_LEVEL: 'info' };
  let api: TestApi;
  let acme: TestWorkspace;
  let fake: FakeProvider;
  const workers: RunningProcess[] = [];

  const startWorker = async () => {
    const worker = runEntrypoint('workers/main.ts', testEnv(api.database.url, prefix, env));
    workers.push(worker);
    await worker.waitForOutput(/worker ready/);
    return worker;
  };
  const stopWorkers = async () => {
    for (const worker of workers.splice(0)) {
      worker.kill('SIGTERM');
      await worker.exited;
    }
  };

  beforeAll(async () => {
    api = await startTestApi({ redisPrefix: prefix, env });
    acme = await createWorkspace(api.app.core, 'Acme');
    fake = await startOpenAiFake({ flavor: 'openai', defaultScenario: 'valid' });
  });
  afterEach(async () => {
    await stopWorkers();
    fake.reset();
    fake.setDefaultScenario('valid');
  });
  afterAll(async () => {
    await stopWorkers();
    await api.stop();
    await fake.close();
  });

  it('a worker killed in the middle of a test loses nothing: another takes the job over and the result is written once', async () => {
    fake.setDelay(4_000);
    const first = await startWorker();
    const response = await api.gql(ADD_KEY, { input: { providerId: OPENAI, apiKey: fakeSecret(), endpoint: fake.url } }, acme.adminToken);
    const keyId = response.data!.addProviderKey.id;
    await waitUntil(() => fake.requests() >= 1, 15_000, 'the test to reach the provider');
    first.kill('SIGKILL');
    await first.exited;
    fake.setDelay(0);

    await startWorker();
    const key = await waitForKey(api, acme.adminToken, keyId, ['PASSED'], 30_000);
    expect(key.health).toBe('HEALTHY');
    const runs = await waitForRuns(api, acme.adminToken, keyId, 1);
    expect(runs).toHaveLength(1);
    const audits = await api.app.core.db.query("SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1 AND action = 'key.tested'", [keyId]);
    expect(audits[0].n).toBe(1);
    expect(fake.requests('/models')).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('with two worker processes, the scheduler queues each due key exactly once, as SCHEDULED or RECOVERY', async () => {
    // 300 keys due now: half passed (re-test), half failed (recovery probe).
    const vault = new Vault([{ version: 1, key: Buffer.from(TEST_KEYRING.split(':')[1], 'base64') }]);
    const ws = await createWorkspace(api.app.core, 'Due');
    const rows: unknown[][] = [];
    for (let i = 0; i < 300; i += 1) {
      const id = randomUUID();
      const secret = fakeSecret();
      rows.push([id, ws.workspace.id, OPENAI, fake.url, vault.seal(secret, { workspaceId: ws.workspace.id, keyId: id, secretVersion: 1 }), vault.fingerprint(OPENAI, secret), maskSecret(secret), i % 2 ? 'PASSED' : 'FAILED', i % 2 ? 'HEALTHY' : 'UNHEALTHY']);
    }
    for (let i = 0; i < rows.length; i += 100) {
      const chunk = rows.slice(i, i + 100);
      const values = chunk.map((_, r) => `(${Array.from({ length: 9 }, (_x, c) => `$${r * 9 + c + 1}`).join(', ')}, now() - interval '1 minute')`).join(', ');
      await api.app.core.db.query(
        `INSERT INTO provider_keys (id, workspace_id, provider_id, endpoint, secret, fingerprint, masked_key, test_status, health, next_test_at) VALUES ${values}`,
        chunk.flat(),
      );
    }
    await Promise.all([startWorker(), startWorker()]);
    await waitUntil(
      async () => {
        const [{ n }] = await api.app.core.db.query('SELECT count(*)::int AS n FROM key_test_runs WHERE workspace_id = $1 AND finished_at IS NOT NULL', [ws.workspace.id]);
        return n >= 300;
      },
      60_000,
      'every due key to be tested',
    );
    const perKey = (await api.app.core.db.query(
      'SELECT key_id, count(*)::int AS n, min(trigger::text) AS trigger FROM key_test_runs WHERE workspace_id = $1 GROUP BY key_id',
      [ws.workspace.id],
    )) as { key_id: string; n: number; trigger: string }[];
    expect(perKey).toHaveLength(300);
    expect(perKey.filter((r) => r.n !== 1)).toEqual([]);
    expect(perKey.filter((r) => r.trigger === 'RECOVERY')).toHaveLength(150);
    expect(perKey.filter((r) => r.trigger === 'SCHEDULED')).toHaveLength(150);
    expect(fake.requests('/models')).toBe(300);
    // Each key is due again later: PASSED keys after RETEST_INTERVAL, recovered keys likewise.
    const [{ due }] = await api.app.core.db.query('SELECT count(*)::int AS due FROM provider_keys WHERE workspace_id = $1 AND next_test_at <= now()', [ws.workspace.id]);
    expect(due).toBe(0);
    const [{ healthy }] = await api.app.core.db.query("SELECT count(*)::int AS healthy FROM provider_keys WHERE workspace_id = $1 AND test_status = 'PASSED' AND health = 'HEALTHY'", [ws.workspace.id]);
    expect(healthy).toBe(300);
  }, 90_000);

  it('an UNHEALTHY key gets recovery probes on a growing backoff', async () => {
    await startWorker();
    const secret = fakeSecret();
    fake.setKey(secret, 'unauthorized');
    const response = await api.gql(ADD_KEY, { input: { providerId: OPENAI, apiKey: secret, endpoint: fake.url } }, acme.adminToken);
    const keyId = response.data!.addProviderKey.id;
    await waitForKey(api, acme.adminToken, keyId, ['FAILED']);
    const [first] = await api.app.core.db.query('SELECT next_test_at, consecutive_test_failures FROM provider_keys WHERE id = $1', [keyId]);
    expect(first.consecutive_test_failures).toBe(1);
    expect(new Date(first.next_test_at).getTime() - Date.now()).toBeGreaterThan(30_000);
    // Make it due now; the probe fails again and the next one is twice as far away.
    await api.app.core.db.query("UPDATE provider_keys SET next_test_at = now() - interval '1 second' WHERE id = $1", [keyId]);
    await waitForRuns(api, acme.adminToken, keyId, 2);
    const [second] = await api.app.core.db.query('SELECT next_test_at, consecutive_test_failures FROM provider_keys WHERE id = $1', [keyId]);
    expect(second.consecutive_test_failures).toBe(2);
    expect(new Date(second.next_test_at).getTime() - Date.now()).toBeGreaterThan(90_000);
    // The key is fixed at the provider: the next probe passes and the key is healthy again.
    fake.setKey(secret, 'valid');
    await api.app.core.db.query("UPDATE provider_keys SET next_test_at = now() - interval '1 second' WHERE id = $1", [keyId]);
    const recovered = await waitForKey(api, acme.adminToken, keyId, ['PASSED']);
    expect(recovered.health).toBe('HEALTHY');
    const runs = await waitForRuns(api, acme.adminToken, keyId, 3);
    expect(runs.map((r) => r.trigger)).toEqual(['RECOVERY', 'RECOVERY', 'CREATED']);
  }, 60_000);

  it('a key stored while Redis was away is still tested: the scheduler picks it up', async () => {
    const redis = await TestRedisServer.start();
    await redis.stop();
    const offline = await startTestApi({ database: api.database, redisPrefix: prefix, env: { REDIS_URL: redis.url } });
    try {
      const ids = await providerIds(offline, acme.adminToken);
      const added = await offline.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: fake.url } }, acme.adminToken);
      expect(added.errors).toBeUndefined();
      const keyId = added.data!.addProviderKey.id;
      const test = await offline.gql('mutation($id: ID!) { testProviderKey(id: $id) { id } }', { id: keyId }, acme.adminToken);
      expect(codeOf(test)).toBe('SERVICE_UNAVAILABLE');
      expect(await api.app.core.db.query('SELECT id FROM key_test_runs WHERE key_id = $1', [keyId])).toEqual([]);
      // Nothing was lost: once a worker runs against the real Redis, the key becomes due and is tested.
      await api.app.core.db.query("UPDATE provider_keys SET next_test_at = now() WHERE id = $1", [keyId]);
      await startWorker();
      expect((await waitForKey(api, acme.adminToken, keyId, ['PASSED'])).testStatus).toBe('PASSED');
    } finally {
      await offline.stop();
    }
  }, 60_000);
});
