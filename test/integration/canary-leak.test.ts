import { Role } from '../../src/auth/role';
import { maskSecret } from '../../src/secrets/mask';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { ADD_KEY, DELETE_KEY, KEY, KEYS, ROTATE_KEY, UPDATE_KEY, providerIds } from '../helpers/key-operations';
import { scanDatabase, scanRedis } from '../helpers/leak-scan';
import { leakedSlices } from '../helpers/leaks';
import { type FakeProvider, startOpenAiFake } from '../helpers/fake-providers';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { uniquePrefix } from '../helpers/test-env';
import { startTestWorker, type TestWorker } from '../helpers/test-worker';
import { waitForRuns } from '../helpers/waiting';

/**
 * Store a recognizable key, exercise every operation, then search everything the service keeps
 * or says (every table and column, Redis, the logs, every GraphQL response) for any piece of it.
 */
describe('canary: the raw key cannot be read back by any path', () => {
  const CANARY = 'sk-proj-CANARYcanary0123456789ABCDEFghijklmnopQRSTUV';
  const ROTATED = 'sk-proj-ROTATEDrotated9876543210ZYXWVUtsrqponmlkjih';
  let api: TestApi;
  let worker: TestWorker;
  let fake: FakeProvider;
  let acme: TestWorkspace;
  const responses: string[] = [];

  const call = async (query: string, variables?: Record<string, unknown>, token?: string) => {
    const response = await api.gql(query, variables, token ?? acme.adminToken);
    responses.push(JSON.stringify(response));
    return response;
  };

  beforeAll(async () => {
    const prefix = uniquePrefix('canary');
    api = await startTestApi({ redisPrefix: prefix, env: { LOG_LEVEL: 'trace' } });
    worker = await startTestWorker(api.database, prefix, { LOG_LEVEL: 'trace' });
    acme = await createWorkspace(api.app.core, 'Canary');
    // The provider echoes the key back in its error body, as some do: it must be scrubbed everywhere.
    fake = await startOpenAiFake({ flavor: 'openai', keys: { [CANARY]: 'echo_key', [ROTATED]: 'valid' } });
  });
  afterAll(async () => {
    await worker.stop();
    await api.stop();
    await fake.close();
  });

  it('leaves no trace of the key outside its ciphertext', async () => {
    const ids = await providerIds(api, acme.adminToken);
    const member = await acme.token(Role.MEMBER);

    const added = await call(ADD_KEY, { input: { providerId: ids.openai, apiKey: CANARY, label: 'canary', endpoint: fake.url } });
    const id = added.data!.addProviderKey.id as string;
    await waitForRuns(api, acme.adminToken, id, 1);
    await call('mutation($id: ID!) { testProviderKey(id: $id) { id status error { message } } }', { id });
    await waitForRuns(api, acme.adminToken, id, 2);
    await call('query($id: ID!) { keyTestRuns(keyId: $id) { id status error { code message httpStatus } } }', { id });
    await call(ADD_KEY, { input: { providerId: ids.openai, apiKey: CANARY, label: 'duplicate' } });
    await call(ADD_KEY, { input: { providerId: ids.openai, apiKey: `${CANARY}\n${CANARY}` } });
    await call(ADD_KEY, { input: { providerId: ids.openai, apiKey: CANARY, endpoint: `https://user:${CANARY}@evil.example.com` } });
    await call(ADD_KEY, { input: { providerId: ids.openai, apiKey: CANARY } }, member);
    await call(KEYS);
    await call(KEY, { id });
    await call(KEYS, undefined, member);
    await call(UPDATE_KEY, { id, label: 'still canary' });
    await call(UPDATE_KEY, { id, endpoint: 'https://proxy.example.com/v1' });
    await call(ROTATE_KEY, { id, apiKey: ROTATED });
    await call(ROTATE_KEY, { id, apiKey: CANARY });
    await call(UPDATE_KEY, { id, endpoint: fake.url, apiKey: ROTATED });
    await waitForRuns(api, acme.adminToken, id, 3);
    await call('{ auditEvents(first: 200) { edges { node { action details } } } }');
    await call('{ providers { id slug } }');

    // A second key stays stored, so the ciphertext column has something to prove about.
    const kept = await call(ADD_KEY, { input: { providerId: ids.anthropic, apiKey: CANARY, label: 'kept' } });
    expect(kept.errors).toBeUndefined();
    await call(DELETE_KEY, { id });
    await call('{ auditEvents(first: 200) { edges { node { action details } } } }');

    for (const secret of [CANARY, ROTATED]) {
      const mask = maskSecret(secret);
      expect(leakedSlices(responses.join('\n'), secret, mask)).toEqual([]);
      expect(leakedSlices(api.logs.text(), secret, mask)).toEqual([]);
      expect(leakedSlices(worker.logs.text(), secret, mask)).toEqual([]);
      expect(await scanDatabase(api.app.core.db, secret, mask)).toEqual([]);
      expect(await scanRedis(api.app.core.redis, api.config.redisPrefix, secret, mask)).toEqual([]);
    }
    // The ciphertext exists and holds no plaintext either (scanDatabase read it as bytes above).
    const [{ n }] = await api.app.core.db.query('SELECT count(*)::int AS n FROM provider_keys WHERE length(secret) > 0');
    expect(n).toBe(1);
    expect(api.logs.lines.length).toBeGreaterThan(0);
    expect(worker.logs.text()).toContain('key tested');
    // The provider really did see (and echo) the key, so the scrubbing above was exercised.
    expect(fake.requests('/models')).toBeGreaterThanOrEqual(3);
  });
});
