import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role';
import type { HealthChange } from '../../src/keys/key-health.service';
import { type FakeProvider, startOpenAiFake } from '../helpers/fake-providers';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf } from '../helpers/graphql-client';
import { ADD_KEY, ROTATE_KEY, fakeSecret } from '../helpers/key-operations';
import { waitUntil } from '../helpers/processes';
import {
  REPORT_CALLS,
  countersOf,
  failure,
  healthAudits,
  healthOf,
  report,
  success,
  waitForCounted,
  waitForHealth,
} from '../helpers/runtime-reports';
import { TestRedisServer } from '../helpers/redis-server';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { uniquePrefix } from '../helpers/test-env';
import { startTestWorker, type TestWorker } from '../helpers/test-worker';
import { waitForKey, waitForRuns } from '../helpers/waiting';

const OPENAI = '00000000-0000-4000-a000-000000000001';
const COOLDOWN_MS = 1500;

/** Runtime outcomes through reportModelCalls, counted by a real worker, flipping health in Postgres. */
describe('runtime health', () => {
  const prefix = uniquePrefix('runtime');
  const env = {
    RATE_LIMIT_COOLDOWN_MS: String(COOLDOWN_MS),
    FAILURE_THRESHOLD: '5',
    FAILURE_RATIO: '0.5',
    MIN_CALLS: '10',
    FAILURE_WINDOW_MS: '300000',
    SCHEDULER_INTERVAL_MS: '300',
  };
  let api: TestApi;
  let worker: TestWorker;
  let fake: FakeProvider;
  let acme: TestWorkspace;
  let service: string;

  /** A key that passed its first test against the fake: PASSED and HEALTHY. */
  const addTestedKey = async (workspace: TestWorkspace = acme): Promise<string> => {
    const response = await api.gql(ADD_KEY, { input: { providerId: OPENAI, apiKey: fakeSecret(), endpoint: fake.url } }, workspace.adminToken);
    expect(response.errors).toBeUndefined();
    const id = response.data!.addProviderKey.id as string;
    expect((await waitForKey(api, workspace.adminToken, id, ['PASSED'])).health).toBe('HEALTHY');
    return id;
  };

  beforeAll(async () => {
    api = await startTestApi({ redisPrefix: prefix, env });
    worker = await startTestWorker(api.database, prefix, env);
    fake = await startOpenAiFake({ flavor: 'openai', defaultScenario: 'valid' });
    acme = await createWorkspace(api.app.core, 'Acme');
    service = await acme.token(Role.SERVICE);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await fake?.close();
  });

  describe('a bad key is UNHEALTHY at once', () => {
    it.each([
      ['401', failure('', 401), 'invalid_key'],
      ['403', failure('', 403), 'permission_denied'],
      ['Gemini 400 API_KEY_INVALID', failure('', 400, { errorCode: 'API_KEY_INVALID' }), 'invalid_key'],
      ['400 "Incorrect API key provided"', failure('', 400, { message: 'Incorrect API key provided: sk-proj-abcd****wxyz' }), 'invalid_key'],
      ['402', failure('', 402), 'quota_exceeded'],
      ['429 insufficient_quota', failure('', 429, { errorCode: 'insufficient_quota' }), 'quota_exceeded'],
    ])('%s', async (_name, template, reason) => {
      const keyId = await addTestedKey();
      expect(await report(api, service, [{ ...template, keyId }])).toBe(1);
      await waitForHealth(api, keyId, 'UNHEALTHY');
      const audits = await healthAudits(api, keyId);
      expect(audits).toEqual([expect.objectContaining({ from: 'HEALTHY', to: 'UNHEALTHY', reason, source: 'runtime' })]);
    });
  });

  it('transient failures flip after FAILURE_THRESHOLD in a row, and a success in between resets the count', async () => {
    const keyId = await addTestedKey();
    const ten = Array.from({ length: 10 }, () => success(keyId));
    // 19 calls, 8 failures: under the ratio; at most 4 in a row, with a success between.
    await report(api, service, [...ten, ...[500, 502, 503, 529].map((s) => failure(keyId, s)), success(keyId), ...[500, 500, 504, 500].map((s) => failure(keyId, s))]);
    const before = await waitForCounted(api, keyId, 19);
    expect(before).toMatchObject({ consecutiveFailures: 4, windowFailures: 8, state: 'HEALTHY' });
    expect(await healthOf(api, keyId)).toBe('HEALTHY');

    await report(api, service, [failure(keyId, 503)]);
    await waitForHealth(api, keyId, 'UNHEALTHY');
    const audits = await healthAudits(api, keyId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ to: 'UNHEALTHY', reason: 'consecutive_failures', counts: { consecutiveFailures: 5, windowCalls: 20, windowFailures: 9 } });
  });

  it('timeouts and network errors reported without a status count as transient failures', async () => {
    const keyId = await addTestedKey();
    const codes = ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'UND_ERR_HEADERS_TIMEOUT'];
    await report(api, service, codes.map((errorCode) => ({ keyId, outcome: 'FAILURE' as const, errorCode })));
    await waitForHealth(api, keyId, 'UNHEALTHY');
    expect((await healthAudits(api, keyId))[0]).toMatchObject({ reason: 'consecutive_failures', counts: { consecutiveFailures: 5 } });
  });

  it('the ratio rule needs MIN_CALLS calls: 6 failures in 9 calls do not flip, 5 in 10 do', async () => {
    const under = await addTestedKey();
    const over = await addTestedKey();
    const pattern = (keyId: string, failed: boolean[]) => failed.map((f) => (f ? failure(keyId, 500) : success(keyId)));
    await report(api, service, pattern(under, [true, false, true, true, false, true, true, false, true]));
    await report(api, service, pattern(over, [false, true, false, true, false, true, false, true, false, true]));

    await waitForHealth(api, over, 'UNHEALTHY');
    expect(await healthAudits(api, over)).toEqual([
      expect.objectContaining({ reason: 'failure_ratio', counts: { consecutiveFailures: 1, windowCalls: 10, windowFailures: 5 } }),
    ]);
    expect(await waitForCounted(api, under, 9)).toMatchObject({ windowCalls: 9, windowFailures: 6, state: 'HEALTHY' });
    expect(await healthOf(api, under)).toBe('HEALTHY');
    expect(await healthAudits(api, under)).toEqual([]);
  });

  it('a 429 makes the key DEGRADED; it is HEALTHY again once the cooldown passes without more 429s, even across a worker restart', async () => {
    const keyId = await addTestedKey();
    await report(api, service, [failure(keyId, 429, { errorCode: 'rate_limit_exceeded' })]);
    await waitForHealth(api, keyId, 'DEGRADED');
    const first = await countersOf(api).read(keyId, 1);

    // A second 429 extends the cooldown; the job that ends it lives in Redis, not in a worker.
    const secondAt = new Date();
    await report(api, service, [failure(keyId, 429, { at: secondAt.toISOString() })]);
    await waitUntil(async () => (await countersOf(api).read(keyId, 1)).cooldownUntil > first.cooldownUntil, 10_000, 'the cooldown to be extended');
    await worker.stop();
    worker = await startTestWorker(api.database, prefix, env);

    await waitForHealth(api, keyId, 'HEALTHY');
    const audits = await healthAudits(api, keyId);
    expect(audits.map((a) => [a.from, a.to, a.reason])).toEqual([
      ['HEALTHY', 'DEGRADED', 'rate_limited'],
      ['DEGRADED', 'HEALTHY', 'cooldown_passed'],
    ]);
    // Not before the cooldown that the second 429 started had passed.
    expect(audits[1].created_at.getTime()).toBeGreaterThanOrEqual(secondAt.getTime() + COOLDOWN_MS);
  });

  it('a bad key during a cooldown makes it UNHEALTHY, and the cooldown ending does not lift that', async () => {
    const keyId = await addTestedKey();
    await report(api, service, [failure(keyId, 429)]);
    await waitForHealth(api, keyId, 'DEGRADED');
    await report(api, service, [failure(keyId, 401)]);
    await waitForHealth(api, keyId, 'UNHEALTHY');
    const cooldown = `cooldown-${keyId}-1-1`;
    await waitUntil(async () => (await api.app.core.queues.runtimeEvents.getJob(cooldown))?.finishedOn !== undefined, 15_000, 'the cooldown job to finish');
    expect(await healthOf(api, keyId)).toBe('UNHEALTHY');
    expect((await healthAudits(api, keyId)).map((a) => a.to)).toEqual(['DEGRADED', 'UNHEALTHY']);
  });

  it('a flip to UNHEALTHY makes the key due for a RECOVERY probe; a pass makes it HEALTHY and clears the counters', async () => {
    const keyId = await addTestedKey();
    await report(api, service, [success(keyId), failure(keyId, 401)]);
    await waitForHealth(api, keyId, 'UNHEALTHY');
    const [audit] = await healthAudits(api, keyId);
    const [row] = await api.app.core.db.query('SELECT next_test_at FROM provider_keys WHERE id = $1', [keyId]);
    // The first step of the recovery backoff: one minute after the flip.
    expect(Math.abs(new Date(row.next_test_at).getTime() - audit.created_at.getTime() - 60_000)).toBeLessThan(5_000);
    expect(await api.app.core.redis.exists(countersOf(api).stateKey(keyId, 1))).toBe(1);

    // The provider answers valid (it always did); make the probe due now rather than wait a minute.
    await api.app.core.db.query("UPDATE provider_keys SET next_test_at = now() - interval '1 second' WHERE id = $1", [keyId]);
    await waitForHealth(api, keyId, 'HEALTHY');
    const runs = await waitForRuns(api, acme.adminToken, keyId, 2);
    expect(runs[0]).toMatchObject({ trigger: 'RECOVERY', status: 'PASSED' });
    await waitUntil(async () => (await api.app.core.redis.exists(countersOf(api).stateKey(keyId, 1))) === 0, 10_000, 'the counters to be cleared');
    expect(await countersOf(api).read(keyId, 1)).toMatchObject({ state: 'HEALTHY', consecutiveFailures: 0, windowCalls: 0 });

    // Counting starts afresh: one more 401 flips it again.
    await report(api, service, [failure(keyId, 401)]);
    await waitForHealth(api, keyId, 'UNHEALTHY');
  });

  it('reports about an older secret version never change the current key', async () => {
    const keyId = await addTestedKey();
    const beforeRotation = new Date(Date.now() - 1_000).toISOString();
    const rotated = await api.gql(ROTATE_KEY, { id: keyId, apiKey: fakeSecret() }, acme.adminToken);
    expect(rotated.errors).toBeUndefined();
    await waitUntil(async () => (await waitForKey(api, acme.adminToken, keyId, ['PASSED'])).secretVersion === 2, 20_000, 'the rotated key to pass');

    const stale = [failure(keyId, 401, { secretVersion: 1 }), failure(keyId, 402, { at: beforeRotation }), ...Array.from({ length: 5 }, () => failure(keyId, 500, { secretVersion: 1 }))];
    // Sent in one call with a current success, so once that is counted the stale ones were seen too.
    expect(await report(api, service, [...stale, success(keyId, { secretVersion: 2 })])).toBe(8);
    expect(await waitForCounted(api, keyId, 1, 2)).toMatchObject({ windowCalls: 1, windowFailures: 0, consecutiveFailures: 0 });
    expect(await countersOf(api).read(keyId, 1)).toMatchObject({ windowCalls: 0 });
    expect(await healthOf(api, keyId)).toBe('HEALTHY');
    expect(await healthAudits(api, keyId)).toEqual([]);

    // A version the key never had is malformed; the current version counts.
    expect(await report(api, service, [failure(keyId, 401, { secretVersion: 3 })])).toBe(0);
    await report(api, service, [failure(keyId, 401, { secretVersion: 2 })]);
    await waitForHealth(api, keyId, 'UNHEALTHY');
  });

  it('rejects, and does not count, reports about unknown or foreign keys and malformed reports', async () => {
    const keyId = await addTestedKey();
    const other = await createWorkspace(api.app.core, 'Other');
    const foreignKey = await addTestedKey(other);
    const rejected = [
      success(randomUUID()),
      success('not-a-uuid'),
      failure(foreignKey, 401),
      failure(keyId, 999),
      failure(keyId, 42),
      success(keyId, { httpStatus: 500 }),
      failure(keyId, 500, { errorCode: 'x'.repeat(101) }),
      failure(keyId, 500, { errorCode: 'bad\ncode' }),
      failure(keyId, 500, { message: 'x'.repeat(4001) }),
      failure(keyId, 500, { modelId: 'm'.repeat(201) }),
      failure(keyId, 500, { at: new Date(Date.now() + 60 * 60 * 1000).toISOString() }),
      failure(keyId, 500, { secretVersion: 0 }),
    ];
    const good = [success(keyId, { modelId: 'gpt-4o-mini' }), failure(keyId, 503, { message: 'upstream overloaded' })];
    expect(await report(api, service, [...rejected, ...good])).toBe(good.length);
    expect(await waitForCounted(api, keyId, 2)).toMatchObject({ windowCalls: 2, windowFailures: 1 });
    expect(await countersOf(api).read(foreignKey, 1)).toMatchObject({ windowCalls: 0 });
    expect(await healthOf(api, keyId)).toBe('HEALTHY');
    expect(await healthOf(api, foreignKey)).toBe('HEALTHY');
  });

  it('bounds the batch: 1000 reports are accepted, 1001 answer BAD_USER_INPUT and nothing is counted', async () => {
    const keyId = await addTestedKey();
    const tooMany = await api.gql(REPORT_CALLS, { reports: Array.from({ length: 1001 }, () => success(keyId)) }, service);
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors![0].message).toMatch(/at most 1000 reports per call \(got 1001\)/i);
    expect(await report(api, service, Array.from({ length: 1000 }, () => success(keyId)))).toBe(1000);
    expect(await waitForCounted(api, keyId, 1000)).toMatchObject({ windowCalls: 1000 });
  });

  it('is for SERVICE and ADMIN tokens; MEMBER is refused', async () => {
    const keyId = await addTestedKey();
    expect(await report(api, acme.adminToken, [success(keyId)])).toBe(1);
    expect(await report(api, service, [success(keyId)])).toBe(1);
    const member = await api.gql(REPORT_CALLS, { reports: [success(keyId)] }, await acme.token(Role.MEMBER));
    expect(codeOf(member)).toBe('FORBIDDEN');
    const anonymous = await api.gql(REPORT_CALLS, { reports: [success(keyId)] });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
  });

  it('counts accepted reports and flips in the metrics', async () => {
    const keyId = await addTestedKey();
    const read = async (body: Promise<{ body: string }>, pattern: RegExp) => Number(pattern.exec((await body).body)?.[1] ?? 0);
    const accepted = /byok_runtime_reports_accepted_total\{outcome="FAILURE",process="api"\} (\d+)/;
    const flips = /byok_key_health_flips_total\{to="UNHEALTHY",reason="invalid_key",process="worker"\} (\d+)/;
    const acceptedBefore = await read(api.app.metrics.scrape(), accepted);
    const flipsBefore = await read(worker.app.metrics.scrape(), flips);
    await report(api, service, [failure(keyId, 401), failure(keyId, 401), success(randomUUID())]);
    expect(await read(api.app.metrics.scrape(), accepted)).toBe(acceptedBefore + 2);
    await waitForHealth(api, keyId, 'UNHEALTHY');
    await waitUntil(async () => (await read(worker.app.metrics.scrape(), flips)) === flipsBefore + 1, 10_000, 'the flip metric');
  });

  it('tells registered listeners of a flip: inside its transaction, then after the commit', async () => {
    const keyId = await addTestedKey();
    const heard: string[] = [];
    worker.app.core.services.keyHealth.onChange({
      async inTransaction(tx, key, change: HealthChange) {
        if (key.id !== keyId) return;
        const [row] = await tx.query('SELECT health FROM provider_keys WHERE id = $1', [keyId]);
        heard.push(`tx:${change.from}->${change.to}:${change.reason}:${row.health}:${tx.queryRunner?.isTransactionActive}`);
      },
      afterCommit(key, change) {
        if (key.id === keyId) heard.push(`commit:${change.to}:${key.health}`);
      },
    });
    await report(api, service, [failure(keyId, 403)]);
    await waitForHealth(api, keyId, 'UNHEALTHY');
    await waitUntil(() => heard.length === 2, 10_000, 'both listeners');
    expect(heard).toEqual(['tx:HEALTHY->UNHEALTHY:permission_denied:UNHEALTHY:true', 'commit:UNHEALTHY:UNHEALTHY']);
  });
});

describe('runtime reports while Redis is down', () => {
  let redis: TestRedisServer;
  let api: TestApi;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    api = await startTestApi({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await api?.stop();
    await redis?.stop();
  });

  it('answers SERVICE_UNAVAILABLE at once and accepts nothing', async () => {
    const workspace = await createWorkspace(api.app.core, 'Down');
    const service = await workspace.token(Role.SERVICE);
    const keyId = randomUUID();
    await api.app.core.db.query(
      `INSERT INTO provider_keys (id, workspace_id, provider_id, endpoint, secret, fingerprint, masked_key) VALUES ($1, $2, $3, 'http://127.0.0.1:9', '\\x00', '\\x00', 'sk-…0000')`,
      [keyId, workspace.workspace.id, OPENAI],
    );
    await redis.stop();
    const response = await api.gql(REPORT_CALLS, { reports: [success(keyId), failure(keyId, 500)] }, service);
    expect(codeOf(response)).toBe('SERVICE_UNAVAILABLE');
    expect(response.errors![0].message).toMatch(/none were accepted/i);
  });
});
