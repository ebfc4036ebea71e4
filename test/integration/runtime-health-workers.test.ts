import { Role } from '../../src/auth/role';
import { type FakeProvider, startOpenAiFake } from '../helpers/fake-providers';
import { createWorkspace } from '../helpers/factories';
import { ADD_KEY, fakeSecret } from '../helpers/key-operations';
import { runEntrypoint, type RunningProcess, waitUntil } from '../helpers/processes';
import { countersOf, failure, healthAudits, healthOf, report } from '../helpers/runtime-reports';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { testEnv, uniquePrefix } from '../helpers/test-env';
import { waitForKey } from '../helpers/waiting';

const OPENAI = '00000000-0000-4000-a000-000000000001';
const THRESHOLD = 9_000;
const REPORTS = 10_000;

/**
 * Two real worker processes count 10,000 reports for one key at once. The flip must happen exactly
 * once, at exactly the threshold: a lost update would leave the count short (no flip, or a late
 * one), a racy decision would flip twice.
 */
describe('runtime counting across worker processes', () => {
  const prefix = uniquePrefix('rtworkers');
  // Only the consecutive rule can fire (the ratio rule never reaches MIN_CALLS).
  const env = { FAILURE_THRESHOLD: String(THRESHOLD), MIN_CALLS: '1000000', LOG_LEVEL: 'debug', SCHEDULER_INTERVAL_MS: '60000' };
  let api: TestApi;
  let fake: FakeProvider;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    api = await startTestApi({ redisPrefix: prefix, env: { ...env, LOG_LEVEL: 'silent' } });
    fake = await startOpenAiFake({ flavor: 'openai', defaultScenario: 'valid' });
    for (let i = 0; i < 2; i += 1) workers.push(runEntrypoint('workers/main.ts', testEnv(api.database.url, prefix, env)));
    await Promise.all(workers.map((worker) => worker.waitForOutput(/worker ready/)));
  }, 60_000);
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));
    await api?.stop();
    await fake?.close();
  });

  it('10,000 transient failures through reportModelCalls flip the key once, at the threshold', async () => {
    const workspace = await createWorkspace(api.app.core, 'Busy');
    const service = await workspace.token(Role.SERVICE);
    const added = await api.gql(ADD_KEY, { input: { providerId: OPENAI, apiKey: fakeSecret(), endpoint: fake.url } }, workspace.adminToken);
    const keyId = added.data!.addProviderKey.id as string;
    await waitForKey(api, workspace.adminToken, keyId, ['PASSED'], 30_000);

    const calls = Array.from({ length: REPORTS / 1000 }, () => Array.from({ length: 1000 }, (_, i) => failure(keyId, [500, 502, 503, 529][i % 4])));
    const accepted = await Promise.all(calls.map((batch) => report(api, service, batch)));
    expect(accepted.reduce((sum, n) => sum + n, 0)).toBe(REPORTS);

    const counters = countersOf(api);
    await waitUntil(async () => (await counters.read(keyId, 1)).windowCalls === REPORTS, 90_000, 'every report to be counted');
    await waitUntil(async () => {
      const counts = await api.app.core.queues.runtimeEvents.getJobCounts('waiting', 'active', 'delayed');
      return counts.waiting + counts.active + counts.delayed === 0;
    }, 30_000, 'the runtime-events queue to drain');

    expect(await counters.read(keyId, 1)).toMatchObject({ state: 'UNHEALTHY', consecutiveFailures: REPORTS, windowCalls: REPORTS, windowFailures: REPORTS });
    expect(await healthOf(api, keyId)).toBe('UNHEALTHY');
    const audits = await healthAudits(api, keyId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      from: 'HEALTHY',
      to: 'UNHEALTHY',
      reason: 'consecutive_failures',
      counts: { consecutiveFailures: THRESHOLD, windowCalls: THRESHOLD, windowFailures: THRESHOLD },
    });
    expect(await api.app.core.queues.runtimeEvents.getJobCounts('failed')).toEqual({ failed: 0 });
    // Both processes took part in the counting.
    for (const worker of workers) expect(worker.output.some((line) => line.includes('runtime reports counted'))).toBe(true);
  }, 180_000);
});
