import { startOpenAiFake, type FakeProvider } from '../../../test/helpers/fake-providers';
import { waitUntil } from '../../../test/helpers/processes';
import type { BenchEnv } from '../bench-env';
import { seedKeys } from '../seed';
import { check, row, type Row, type WorkloadResult } from '../stats';

const WORKLOAD = 'key-tests';
const DELAY_MS = 50;
const LEVELS = [16, 64] as const;
const KEYS_PER_WORKSPACE = 100;

interface Phase {
  readonly label: string;
  readonly workspaceIds: readonly string[];
}

/**
 * Key-test throughput through the service's real path: keys become due, the scheduler's sweep opens
 * their runs and enqueues them, one worker process tests them against a fake OpenAI. Each phase has
 * its own fresh keys, so every test does the same work (its first listing, a selection re-check).
 * Rate: keys / (first run opened → last run finished), read from the run rows themselves.
 */
export async function keyTestThroughput(env: BenchEnv, log: (line: string) => void): Promise<WorkloadResult> {
  const started = Date.now();
  const keys = env.options.quick ? 1_000 : 10_000;
  const count = keys.toLocaleString('en-US');
  const rows: Row[] = [];
  const checks: string[] = [];
  // In the bench runner: a separate process from the worker it answers. 'valid' for every key.
  const fake = await startOpenAiFake({ flavor: 'openai', delayMs: DELAY_MS, defaultScenario: 'valid' });
  try {
    const phases: Phase[] = [];
    for (const label of [...LEVELS.map((c) => `c${c}`), 'instant']) {
      const workspaces = await env.createWorkspaces(keys / KEYS_PER_WORKSPACE, `${WORKLOAD} ${label}`);
      const workspaceIds = workspaces.map((w) => w.id);
      await seedKeys(env, { workspaceIds, provider: 'openai', keysPerWorkspace: KEYS_PER_WORKSPACE, endpoint: fake.url, testStatus: 'PASSED' });
      phases.push({ label, workspaceIds });
    }
    await env.pool.query('ANALYZE');
    log(`seeded ${phases.length} × ${count} keys against ${fake.url}`);

    for (const [index, concurrency] of LEVELS.entries()) {
      const worker = await env.startWorker(
        env.prefix(WORKLOAD),
        // The provider limit is shared by all keys of one provider: set high so it never throttles here.
        // A 1 s sweep starts a phase quickly yet keeps the sweep's own per-tick work (orphan checks) out of the way.
        { TEST_CONCURRENCY: String(concurrency), TEST_RATE_LIMIT_PER_PROVIDER: '100000', SCHEDULER_INTERVAL_MS: '1000' },
        `worker c${concurrency}`,
      );
      const rate = await runPhase(env, fake, phases[index], keys, checks, log);
      const ideal = concurrency / (DELAY_MS / 1000);
      rows.push(row(WORKLOAD, `tests/s, ${count} keys, ${DELAY_MS} ms fake, concurrency ${concurrency}`, 'tests/s', rate, { name: `ideal: ${concurrency} / ${DELAY_MS} ms`, value: ideal }));
      if (index === LEVELS.length - 1) {
        // Same worker, a fake that answers at once: what the service itself costs per test.
        fake.setDelay(0);
        const instant = await runPhase(env, fake, phases[LEVELS.length], keys, checks, log);
        rows.push(row(WORKLOAD, `tests/s, ${count} keys, instant fake, concurrency ${concurrency}`, 'tests/s', instant));
      }
      await worker.stop();
    }
  } finally {
    await fake.close();
  }
  return { workload: WORKLOAD, rows, checks, seconds: (Date.now() - started) / 1000 };
}

/** Makes the phase's keys due, waits until each has a finished run, checks them; returns tests/s. */
async function runPhase(env: BenchEnv, fake: FakeProvider, phase: Phase, keys: number, checks: string[], log: (line: string) => void): Promise<number> {
  const requestsBefore = fake.requests('/models');
  const since = (await env.pool.query<{ now: Date }>('SELECT now()')).rows[0].now;
  const wallStart = Date.now();
  await env.pool.query('UPDATE provider_keys SET next_test_at = now() WHERE workspace_id = ANY($1::uuid[])', [phase.workspaceIds]);
  const runsOf = `FROM key_test_runs WHERE workspace_id = ANY($1::uuid[]) AND started_at >= $2`;
  await waitUntil(
    async () => {
      const { rows } = await env.pool.query<{ finished: number }>(`SELECT count(*)::int AS finished ${runsOf} AND finished_at IS NOT NULL`, [phase.workspaceIds, since]);
      return rows[0].finished >= keys;
    },
    600_000,
    `${keys} finished key tests (${phase.label})`,
  );
  const wallSeconds = (Date.now() - wallStart) / 1000;
  const { rows } = await env.pool.query<{ runs: number; distinct_keys: number; passed: number; attempts: number; span_ms: number }>(
    `SELECT count(*)::int AS runs, count(DISTINCT key_id)::int AS distinct_keys,
            count(*) FILTER (WHERE status = 'PASSED' AND finished_at IS NOT NULL AND NOT stale)::int AS passed,
            sum(attempts)::int AS attempts,
            extract(epoch FROM max(finished_at) - min(started_at)) * 1000 AS span_ms
       ${runsOf}`,
    [phase.workspaceIds, since],
  );
  const result = rows[0];
  const requests = fake.requests('/models') - requestsBefore;
  check(result.runs === keys && result.distinct_keys === keys, `${phase.label}: ${keys} runs, one per key (got ${result.runs} runs of ${result.distinct_keys} keys)`);
  check(result.passed === keys, `${phase.label}: every run finished PASSED (got ${result.passed} of ${keys})`);
  check(requests === keys, `${phase.label}: the fake saw ${keys} model listings (got ${requests})`);
  checks.push(`${phase.label}: ${keys} keys, one finished PASSED run each, ${requests} provider calls, ${result.attempts} attempts recorded`);
  const rate = keys / (Number(result.span_ms) / 1000);
  log(`${phase.label}: ${keys} tests in ${(Number(result.span_ms) / 1000).toFixed(2)} s (first run opened → last finished; ${wallSeconds.toFixed(2)} s from due to seen) = ${rate.toFixed(0)} tests/s`);
  return rate;
}
