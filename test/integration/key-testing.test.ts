import type { FakeProvider } from '../helpers/fake-providers';
import {
  startAnthropicFake,
  startAzureOpenAiFake,
  startGoogleFake,
  startOllamaFake,
  startOpenAiFake,
  startOpenRouterFake,
} from '../helpers/fake-providers';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf } from '../helpers/graphql-client';
import { ADD_KEY, ROTATE_KEY, fakeSecret, providerIds } from '../helpers/key-operations';
import { leakedSlices } from '../helpers/leaks';
import { waitUntil } from '../helpers/processes';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { uniquePrefix } from '../helpers/test-env';
import { startTestWorker, type TestWorker } from '../helpers/test-worker';
import { waitForKey, waitForRuns } from '../helpers/waiting';
import { Role } from '../../src/auth/role';
import { jobFor, openRun } from '../../src/keys/key-test-runs';
import { ProviderKey } from '../../src/keys/provider-key.entity';
import { TestTrigger } from '../../src/keys/test-trigger';
import { maskSecret } from '../../src/secrets/mask';

const TEST = 'mutation($id: ID!) { testProviderKey(id: $id) { id keyId trigger status secretVersion } }';

/**
 * Adding a key through GraphQL leads, with no further action, to PASSED or FAILED with the right
 * error, for every protocol, against fake providers that speak each protocol (api and worker real).
 */
describe('key testing end to end', () => {
  const prefix = uniquePrefix('keytests');
  let api: TestApi;
  let worker: TestWorker;
  let acme: TestWorkspace;
  let ids: Record<string, string>;
  const fakes: Record<string, FakeProvider> = {};

  const addKey = async (slug: string, endpoint: string, apiKey = fakeSecret(slug), label?: string) => {
    const response = await api.gql(ADD_KEY, { input: { providerId: ids[slug], apiKey, endpoint, label } }, acme.adminToken);
    expect(response.errors).toBeUndefined();
    return { key: response.data!.addProviderKey as Record<string, any>, apiKey };
  };

  beforeAll(async () => {
    const env = { TEST_TIMEOUT_MS: '1500', TEST_ATTEMPTS: '3', SCHEDULER_INTERVAL_MS: '60000' };
    api = await startTestApi({ redisPrefix: prefix, env });
    worker = await startTestWorker(api.database, prefix, env);
    acme = await createWorkspace(api.app.core, 'Acme');
    ids = await providerIds(api, acme.adminToken);
    Object.assign(fakes, {
      openai: await startOpenAiFake({ flavor: 'openai' }),
      xai: await startOpenAiFake({ flavor: 'xai' }),
      deepseek: await startOpenAiFake({ flavor: 'deepseek' }),
      mistral: await startOpenAiFake({ flavor: 'mistral' }),
      groq: await startOpenAiFake({ flavor: 'groq' }),
      together: await startOpenAiFake({ flavor: 'together' }),
      anthropic: await startAnthropicFake(),
      google: await startGoogleFake(),
      openrouter: await startOpenRouterFake(),
      'azure-openai': await startAzureOpenAiFake(),
      ollama: await startOllamaFake(),
    });
  });
  afterAll(async () => {
    await worker.stop();
    await api.stop();
    await Promise.all(Object.values(fakes).map((f) => f.close()));
  });
  beforeEach(() => Object.values(fakes).forEach((f) => f.reset()));

  it.each(['openai', 'xai', 'deepseek', 'mistral', 'groq', 'together', 'anthropic', 'google', 'openrouter', 'azure-openai', 'ollama'])(
    '%s: a valid key passes by itself and its listing is kept',
    async (slug) => {
      const secret = fakeSecret(slug);
      fakes[slug].setKey(secret, 'valid');
      const { key } = await addKey(slug, fakes[slug].url, secret);
      expect(key.testStatus).toBe('UNTESTED');
      const tested = await waitForKey(api, acme.adminToken, key.id, ['PASSED', 'FAILED']);
      expect(tested).toMatchObject({ testStatus: 'PASSED', health: 'HEALTHY', lastError: null, secretVersion: 1 });
      expect(tested.lastTestedAt).not.toBeNull();
      const [run] = await waitForRuns(api, acme.adminToken, key.id, 1);
      expect(run).toMatchObject({ trigger: 'CREATED', status: 'PASSED', secretVersion: 1, stale: false, error: null });
      expect(run.modelsFound).toBeGreaterThan(0);
      const [{ n }] = await api.app.core.db.query('SELECT count(*)::int AS n FROM key_models WHERE key_id = $1', [key.id]);
      expect(n).toBe(run.modelsFound);
    },
  );

  it.each([
    ['openai', 'unauthorized', 'INVALID_KEY', 401],
    ['anthropic', 'forbidden', 'PERMISSION_DENIED', 403],
    ['google', 'gemini_invalid_key', 'INVALID_KEY', 400],
    ['xai', 'xai_invalid_key', 'INVALID_KEY', 400],
    ['deepseek', 'payment_required', 'QUOTA_EXCEEDED', 402],
    ['openai', 'insufficient_quota', 'QUOTA_EXCEEDED', 429],
    ['openai', 'html', 'INCOMPATIBLE_ENDPOINT', 200],
    ['openai', 'not_found', 'INCOMPATIBLE_ENDPOINT', 404],
  ])('%s answering %s: FAILED with %s, the right message, no retry, key marked unhealthy when it is the key', async (slug, scenario, code, status) => {
    const secret = fakeSecret(slug);
    fakes[slug].setKey(secret, scenario as never);
    const { key } = await addKey(slug, fakes[slug].url, secret);
    const tested = await waitForKey(api, acme.adminToken, key.id, ['FAILED']);
    expect(tested.lastError).toMatchObject({ code, httpStatus: status });
    expect(tested.lastError.message.length).toBeGreaterThan(20);
    expect(leakedSlices(JSON.stringify(tested), secret, maskSecret(secret))).toEqual([]);
    expect(tested.health).toBe(['INVALID_KEY', 'PERMISSION_DENIED', 'QUOTA_EXCEEDED'].includes(code) ? 'UNHEALTHY' : 'HEALTHY');
    const [run] = await waitForRuns(api, acme.adminToken, key.id, 1);
    expect(run).toMatchObject({ status: 'FAILED', attempts: 1, error: { code } });
    expect(fakes[slug].requests()).toBe(1);
  });

  it('OpenRouter: a bad key fails although the public /models answers 200 to anyone', async () => {
    const { key, apiKey } = await addKey('openrouter', fakes.openrouter.url);
    const modelsAnswer = await fetch(`${fakes.openrouter.url}/models`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(modelsAnswer.status).toBe(200);
    const tested = await waitForKey(api, acme.adminToken, key.id, ['FAILED']);
    expect(tested.lastError.code).toBe('INVALID_KEY');
    expect(fakes.openrouter.requests('/key')).toBe(1);
  });

  it('an error body that echoes the key is scrubbed before it is stored or shown', async () => {
    const secret = fakeSecret();
    fakes.openai.setKey(secret, 'echo_key');
    const { key } = await addKey('openai', fakes.openai.url, secret);
    const tested = await waitForKey(api, acme.adminToken, key.id, ['FAILED']);
    const [run] = await waitForRuns(api, acme.adminToken, key.id, 1);
    expect(leakedSlices(JSON.stringify([tested, run]), secret, maskSecret(secret))).toEqual([]);
    expect(leakedSlices(worker.logs.text(), secret, maskSecret(secret))).toEqual([]);
  });

  it('a job that reaches the worker before its run commits waits for it without spending an attempt', async () => {
    const secret = fakeSecret('openai');
    fakes.openai.setKey(secret, 'valid');
    const { key } = await addKey('openai', fakes.openai.url, secret);
    await waitForKey(api, acme.adminToken, key.id, ['PASSED']);
    // Every attempt of the next test fails with a 5xx: all three must reach the provider.
    fakes.openai.setKey(secret, 'server_error');
    const before = fakes.openai.requests();
    const { db, queues } = api.app.core;
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    try {
      const locked = await runner.manager.getRepository(ProviderKey).findOneOrFail({ where: { id: key.id }, lock: { mode: 'pessimistic_write' } });
      const { run } = await openRun(runner.manager, locked, TestTrigger.MANUAL);
      await queues.enqueueKeyTests([jobFor(run)]);
      // The worker takes the job now and cannot see the run: it must wait, not fail an attempt.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(fakes.openai.requests()).toBe(before);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    const runs = await waitForRuns(api, acme.adminToken, key.id, 2);
    expect(runs[0]).toMatchObject({ trigger: 'MANUAL', status: 'FAILED', attempts: 3, error: { code: 'PROVIDER_ERROR' } });
    expect(fakes.openai.requests()).toBe(before + 3);
  }, 60_000);

  it('retries 5xx and 529 with backoff, then fails with PROVIDER_ERROR after every attempt', async () => {
    const secret = fakeSecret('anthropic');
    fakes.anthropic.setKey(secret, 'overloaded');
    const { key } = await addKey('anthropic', fakes.anthropic.url, secret);
    const tested = await waitForKey(api, acme.adminToken, key.id, ['FAILED'], 60_000);
    expect(tested.lastError).toMatchObject({ code: 'PROVIDER_ERROR', httpStatus: 529 });
    const [run] = await waitForRuns(api, acme.adminToken, key.id, 1);
    expect(run.attempts).toBe(3);
    expect(fakes.anthropic.requests()).toBe(3);
  }, 90_000);

  it('a timeout is retried and recovers when the provider answers again', async () => {
    const secret = fakeSecret();
    fakes.openai.setKey(secret, 'hang');
    const { key } = await addKey('openai', fakes.openai.url, secret);
    await waitUntil(() => fakes.openai.requests() >= 1, 10_000, 'the first call');
    fakes.openai.setKey(secret, 'valid');
    const tested = await waitForKey(api, acme.adminToken, key.id, ['PASSED'], 30_000);
    expect(tested.health).toBe('HEALTHY');
    const [run] = await waitForRuns(api, acme.adminToken, key.id, 1);
    expect(run.attempts).toBe(2);
  }, 90_000);

  it('a rate-limited test passes (the key is valid) and the key is DEGRADED', async () => {
    const secret = fakeSecret();
    fakes.openai.setKey(secret, 'rate_limited');
    const { key } = await addKey('openai', fakes.openai.url, secret);
    const tested = await waitForKey(api, acme.adminToken, key.id, ['PASSED']);
    expect(tested).toMatchObject({ health: 'DEGRADED', lastError: null });
  });

  it('refuses a private endpoint with ENDPOINT_BLOCKED when private endpoints are not allowed', async () => {
    const prefix2 = uniquePrefix('blocked');
    const strictWorker = await startTestWorker(api.database, prefix2, { ALLOW_PRIVATE_ENDPOINTS: 'false' });
    const strictApi = await startTestApi({ database: api.database, redisPrefix: prefix2 });
    try {
      const response = await strictApi.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: fakes.openai.url } }, acme.adminToken);
      const tested = await waitForKey(strictApi, acme.adminToken, response.data!.addProviderKey.id, ['FAILED']);
      expect(tested.lastError.code).toBe('ENDPOINT_BLOCKED');
      expect(fakes.openai.requests()).toBe(0);
    } finally {
      await strictApi.stop();
      await strictWorker.stop();
    }
  });

  it('concurrent manual tests of one key collapse into one run and one provider call', async () => {
    const secret = fakeSecret();
    fakes.openai.setKey(secret, 'valid');
    const { key } = await addKey('openai', fakes.openai.url, secret);
    await waitForKey(api, acme.adminToken, key.id, ['PASSED']);
    fakes.openai.reset();
    fakes.openai.setKey(secret, 'valid');
    fakes.openai.setDelay(500);
    const responses = await Promise.all(Array.from({ length: 8 }, () => api.gql(TEST, { id: key.id }, acme.adminToken)));
    const runIds = new Set(responses.map((r) => r.data!.testProviderKey.id));
    expect(runIds.size).toBe(1);
    expect(responses[0].data!.testProviderKey).toMatchObject({ trigger: 'MANUAL', status: 'TESTING', keyId: key.id });
    const runs = await waitForRuns(api, acme.adminToken, key.id, 2);
    expect(runs.filter((r) => r.trigger === 'MANUAL')).toHaveLength(1);
    expect(fakes.openai.requests('/models')).toBe(1);
  });

  it('a result for a rotated-away secret is recorded but never applied to the new one', async () => {
    const old = fakeSecret();
    const fresh = fakeSecret();
    fakes.openai.setKey(old, 'valid');
    fakes.openai.setKey(fresh, 'unauthorized');
    fakes.openai.setDelay(1_000);
    const { key } = await addKey('openai', fakes.openai.url, old);
    await waitUntil(() => fakes.openai.requests() >= 1, 10_000, 'the v1 test to be in flight');
    const rotated = await api.gql(ROTATE_KEY, { id: key.id, apiKey: fresh }, acme.adminToken);
    expect(rotated.data!.rotateProviderKey.secretVersion).toBe(2);
    const runs = await waitForRuns(api, acme.adminToken, key.id, 2, 30_000);
    const v1 = runs.find((r) => r.secretVersion === 1)!;
    const v2 = runs.find((r) => r.secretVersion === 2)!;
    expect(v1).toMatchObject({ status: 'PASSED', stale: true, trigger: 'CREATED' });
    expect(v2).toMatchObject({ status: 'FAILED', stale: false, trigger: 'ROTATED' });
    const final = await waitForKey(api, acme.adminToken, key.id, ['FAILED']);
    expect(final).toMatchObject({ secretVersion: 2, lastError: { code: 'INVALID_KEY' } });
  });

  it('keyTestRuns answers NOT_FOUND for another workspace, and MEMBER may test', async () => {
    const secret = fakeSecret();
    fakes.openai.setKey(secret, 'valid');
    const { key } = await addKey('openai', fakes.openai.url, secret);
    const other = await createWorkspace(api.app.core, 'Other');
    expect(codeOf(await api.gql('query($id: ID!) { keyTestRuns(keyId: $id) { id } }', { id: key.id }, other.adminToken))).toBe('NOT_FOUND');
    expect(codeOf(await api.gql(TEST, { id: key.id }, other.adminToken))).toBe('NOT_FOUND');
    const member = await acme.token(Role.MEMBER);
    expect((await api.gql(TEST, { id: key.id }, member)).errors).toBeUndefined();
    expect(codeOf(await api.gql(TEST, { id: key.id }, await acme.token(Role.SERVICE)))).toBe('FORBIDDEN');
  });

  it('job payloads carry ids and the secret version only', async () => {
    const secret = fakeSecret();
    fakes.openai.setKey(secret, 'valid');
    fakes.openai.setDelay(60_000);
    const { key } = await addKey('openai', fakes.openai.url, secret);
    const job = await api.app.core.queues.keyTests.getJob((await waitForRunsOpen(key.id))[0]);
    expect(Object.keys(job!.data).sort()).toEqual(['keyId', 'runId', 'secretVersion', 'trigger', 'workspaceId']);
    expect(leakedSlices(JSON.stringify(job!.data), secret)).toEqual([]);
    fakes.openai.setDelay(0);
  });

  async function waitForRunsOpen(keyId: string): Promise<string[]> {
    let ids_: string[] = [];
    await waitUntil(async () => {
      ids_ = ((await api.app.core.db.query('SELECT id FROM key_test_runs WHERE key_id = $1', [keyId])) as { id: string }[]).map((r) => r.id);
      return ids_.length > 0;
    });
    return ids_;
  }
});
