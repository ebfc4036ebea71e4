import { Queue } from 'bullmq';
import { loadConfig } from '../../../src/config';
import { bullPrefix, JobQueues, type KeyTestJob, QueueName } from '../../../src/jobs/queues';
import type { TestTrigger } from '../../../src/keys/test-trigger';
import type { BenchEnv } from '../bench-env';
import { seedKeys } from '../seed';
import { check, row, type WorkloadResult } from '../stats';

const WORKLOAD = 'sweep';
const KEYS_PER_WORKSPACE = 1_000;
const SWEEP_INTERVAL_MS = 250;
/** The sweep's own batch size (sweepDueKeys), so the baseline adds jobs the way the sweep does. */
const BATCH = 1_000;

/**
 * Scheduler sweep: N PASSED keys become due at once; two worker processes sweep (SCHEDULER_INTERVAL_MS
 * 250) with the key-tests queue paused, so this times enqueueing, not testing: from the UPDATE that
 * makes them due until N runs are open and N jobs wait. Baseline: the same N jobs through the
 * service's JobQueues.enqueueKeyTests (BullMQ addBulk, 1,000 a call) from the bench process,
 * without Postgres or the scheduler.
 */
export async function schedulerSweep(env: BenchEnv, log: (line: string) => void): Promise<WorkloadResult> {
  const started = Date.now();
  const keys = env.options.quick ? 10_000 : 100_000;
  const count = keys.toLocaleString('en-US');
  const prefix = env.prefix(WORKLOAD);
  const workspaceIds = (await env.createWorkspaces(keys / KEYS_PER_WORKSPACE, WORKLOAD)).map((w) => w.id);
  // Never tested here: the endpoint is not called.
  await seedKeys(env, { workspaceIds, provider: 'openai', keysPerWorkspace: KEYS_PER_WORKSPACE, endpoint: 'http://127.0.0.1:9/v1', testStatus: 'PASSED' });
  await env.pool.query('ANALYZE provider_keys');
  log(`seeded ${count} keys`);

  // Paused before any worker runs: the jobs wait, no test starts.
  const keyTests = new Queue<KeyTestJob>(QueueName.KEY_TESTS, { connection: env.redis, prefix: bullPrefix(prefix) });
  let jobs: Record<string, number>;
  let seconds: number;
  let runs: { id: string; key_id: string; workspace_id: string; secret_version: number; trigger: TestTrigger }[];
  try {
    await keyTests.pause();
    const overrides = { SCHEDULER_INTERVAL_MS: String(SWEEP_INTERVAL_MS) };
    await Promise.all([env.startWorker(prefix, overrides, 'worker 1'), env.startWorker(prefix, overrides, 'worker 2')]);

    const since = (await env.pool.query<{ now: Date }>('SELECT now()')).rows[0].now;
    await env.pool.query('UPDATE provider_keys SET next_test_at = now() WHERE workspace_id = ANY($1::uuid[])', [workspaceIds]);
    const t0 = performance.now();
    const runsOf = 'FROM key_test_runs WHERE workspace_id = ANY($1::uuid[]) AND started_at >= $2 AND finished_at IS NULL';
    const deadline = Date.now() + 300_000;
    for (;;) {
      const opened = (await env.pool.query<{ n: number }>(`SELECT count(*)::int AS n ${runsOf}`, [workspaceIds, since])).rows[0].n;
      jobs = await keyTests.getJobCounts();
      if (opened >= keys && total(jobs) >= keys) break;
      if (Date.now() > deadline) throw new Error(`timed out: ${opened} runs open, ${total(jobs)} jobs queued of ${keys}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    seconds = (performance.now() - t0) / 1000;
    // The next sweeps must find nothing more to add.
    await new Promise((resolve) => setTimeout(resolve, 2 * SWEEP_INTERVAL_MS));
    jobs = await keyTests.getJobCounts();
    runs = (await env.pool.query(`SELECT id, key_id, workspace_id, secret_version, trigger ${runsOf}`, [workspaceIds, since])).rows;

    const distinctKeys = new Set(runs.map((r) => r.key_id)).size;
    const stillDue = (await env.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM provider_keys WHERE workspace_id = ANY($1::uuid[]) AND next_test_at IS NOT NULL', [workspaceIds])).rows[0].n;
    // The job id is the run id: compare the queue's ids with the runs'.
    const queued = await keyTests.getRanges(['waiting', 'prioritized', 'delayed', 'active'], 0, -1);
    const runIds = new Set(runs.map((r) => r.id));
    const missing = runs.length - queued.filter((id) => runIds.has(id)).length;
    // The sweep also re-queues open runs it finds without a job: another workload's leftovers, never ours.
    const others = queued.filter((id) => !runIds.has(id));
    const othersOrphaned = others.length === 0 ? 0 : (await env.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM key_test_runs WHERE id = ANY($1::uuid[]) AND finished_at IS NULL AND NOT workspace_id = ANY($2::uuid[])',
      [others, workspaceIds],
    )).rows[0].n;
    if (others.length) log(`the queue also holds ${others.length} re-queued open runs of other workloads`);
    check(runs.length === keys && distinctKeys === keys, `${keys} runs opened, one per key (got ${runs.length} runs of ${distinctKeys} keys)`);
    check(stillDue === 0, `no key is still due (${stillDue} are)`);
    check(missing === 0, `every run has its job, the job id being the run id (${missing} missing)`);
    check(othersOrphaned === others.length, `no job but one per run (${others.length - othersOrphaned} unexplained)`);
    check(total(jobs) === queued.length && jobs.active === 0, `the queue holds each job once, none running (${JSON.stringify(jobs)}, ${queued.length} ids)`);
    await logSweeps(env, prefix, log);
  } finally {
    await keyTests.close();
  }
  log(`${count} keys enqueued by 2 workers in ${seconds.toFixed(2)} s`);
  await env.stopAll();

  // Baseline: the same jobs, straight into a queue nobody sweeps or works.
  const baselineQueues = new JobQueues(env.redis, env.prefix(`${WORKLOAD}-baseline`), loadConfig(env.serviceEnv(prefix)).keyTests, () => undefined);
  const jobData: KeyTestJob[] = runs.map((r) => ({ runId: r.id, keyId: r.key_id, workspaceId: r.workspace_id, secretVersion: r.secret_version, trigger: r.trigger }));
  let baselineSeconds: number;
  try {
    const b0 = performance.now();
    for (let start = 0; start < jobData.length; start += BATCH) await baselineQueues.enqueueKeyTests(jobData.slice(start, start + BATCH));
    baselineSeconds = (performance.now() - b0) / 1000;
    const added = total(await baselineQueues.keyTests.getJobCounts());
    check(added === keys, `the baseline queued ${keys} jobs (got ${added})`);
  } finally {
    await baselineQueues.close();
  }
  log(`baseline: ${count} jobs added in ${baselineSeconds.toFixed(2)} s`);

  return {
    workload: WORKLOAD,
    rows: [
      row(WORKLOAD, `keys/s enqueued, ${count} due keys, 2 workers`, 'keys/s', keys / seconds, { name: 'JobQueues.addBulk, 1,000 a call', value: keys / baselineSeconds }),
      row(WORKLOAD, `time until all ${count} keys are enqueued`, 's', seconds, { name: 'JobQueues.addBulk, 1,000 a call', value: baselineSeconds }),
    ],
    checks: [`${keys} runs open, one per key, none still due`, `${keys} jobs queued, one per run (job id = run id), no other of this workload`],
    seconds: (Date.now() - started) / 1000,
  };
}

const total = (counts: Record<string, number>): number => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** How many due keys each sweep job found: several at once means both workers swept. Log only (kept jobs are capped at 100). */
async function logSweeps(env: BenchEnv, prefix: string, log: (line: string) => void): Promise<void> {
  const scheduler = new Queue(QueueName.SCHEDULER, { connection: env.redis, prefix: bullPrefix(prefix) });
  try {
    const sweeps = (await scheduler.getCompleted(0, -1)).filter((job) => Number((job.returnvalue as { due?: number } | null)?.due) > 0);
    log(`sweep jobs that found due keys: ${sweeps.map((job) => (job.returnvalue as { due: number }).due).join(', ')}`);
  } finally {
    await scheduler.close();
  }
}
