import { Agent, request } from 'node:http';
import { Queue } from 'bullmq';
import { bullPrefix, QueueName } from '../../../src/jobs/queues';
import { RuntimeCounters } from '../../../src/runtime/runtime-counters';
import { freePort } from '../../../test/helpers/processes';
import { failure, REPORT_CALLS, type ReportInput, success } from '../../../test/helpers/runtime-reports';
import type { BenchEnv } from '../bench-env';
import { seedKeys } from '../seed';
import { check, row, type WorkloadResult } from '../stats';

const WORKLOAD = 'ingest';
const WORKSPACES = 100;
const KEYS_PER_WORKSPACE = 10;
const BATCH = 100;
const IN_FLIGHT = 8;
const WARMUP_REQUESTS = 20;
/** Counts must not age out of the health window while the run lasts (the default is 5 minutes). */
const FAILURE_WINDOW_MS = 60 * 60 * 1000;

interface Batch {
  readonly token: string;
  readonly body: string;
}

/**
 * Runtime ingest: reportModelCalls in batches of 100 (one workspace's 10 keys each, 99 successes
 * and one 503), IN_FLIGHT requests at once from the bench process, against the api; then until the
 * worker's Redis counters hold every report. Baseline: the same requests to a bare node:http server
 * in its own process that parses the JSON and answers (scripts/bench/baselines/json-echo-server.ts).
 */
export async function runtimeIngest(env: BenchEnv, log: (line: string) => void): Promise<WorkloadResult> {
  const started = Date.now();
  const requests = env.options.quick ? 500 : 3_000;
  const total = requests * BATCH;
  const prefix = env.prefix(WORKLOAD);
  const workspaces = await env.createWorkspaces(WORKSPACES, WORKLOAD);
  // Never tested here: the endpoint is not called.
  const keyIds = await seedKeys(env, { workspaceIds: workspaces.map((w) => w.id), provider: 'openai', keysPerWorkspace: KEYS_PER_WORKSPACE, endpoint: 'http://127.0.0.1:9/v1' });
  // seedKeys goes workspace by workspace, so workspace i owns keyIds[i*10 .. i*10+9].
  const batches = workspaces.map((w, i) => ({ token: w.token, body: JSON.stringify({ query: REPORT_CALLS, variables: { reports: reportsFor(keyIds.slice(i * KEYS_PER_WORKSPACE, (i + 1) * KEYS_PER_WORKSPACE)) } }) }));

  const echoPort = await freePort();
  const echo = await env.startScript('json echo', 'scripts/bench/baselines/json-echo-server.ts', echoPort, [String(echoPort)]);
  await sendAll(`${echo.url}/graphql`, batches, WARMUP_REQUESTS);
  const baseline = await sendAll(`${echo.url}/graphql`, batches, requests);
  await echo.stop();
  check(baseline.accepted === total, `the echo baseline answered ${total} reports (got ${baseline.accepted})`);
  const baselineRate = total / baseline.seconds;
  log(`baseline: ${total} reports in ${baseline.seconds.toFixed(2)} s = ${baselineRate.toFixed(0)} reports/s`);

  const overrides = { FAILURE_WINDOW_MS: String(FAILURE_WINDOW_MS) };
  const [api] = await Promise.all([env.startApi(prefix, overrides), env.startWorker(prefix, overrides)]);
  // Only for stateKey(): the worker's own names for the counter hashes (the settings are not used).
  const counters = new RuntimeCounters(env.redis, prefix, { rateLimitCooldownMs: 60_000, failureThreshold: 5, failureRatio: 0.5, minCalls: 10, failureWindowMs: FAILURE_WINDOW_MS });
  const counted = async (): Promise<number> => {
    const pipeline = env.redis.pipeline();
    for (const id of keyIds) pipeline.hget(counters.stateKey(id, 1), 'calls');
    const replies = (await pipeline.exec()) ?? [];
    return replies.reduce((sum, [error, value]) => sum + (error ? 0 : Number(value ?? 0)), 0);
  };
  const waitCounted = async (expected: number, timeoutMs: number): Promise<number> => {
    const deadline = Date.now() + timeoutMs;
    let seen = await counted();
    while (seen < expected) {
      if (Date.now() > deadline) throw new Error(`timed out: the worker counted ${seen} of ${expected} reports`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await counted();
    }
    return performance.now();
  };

  const warm = await sendAll(`${api.url}/graphql`, batches, WARMUP_REQUESTS);
  await waitCounted(warm.accepted, 60_000);
  const t0 = performance.now();
  const sent = await sendAll(`${api.url}/graphql`, batches, requests);
  const countedAt = await waitCounted(warm.accepted + total, 600_000);
  const endToEnd = (countedAt - t0) / 1000;
  // A moment more: a report counted twice would show up as more than was sent.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const finalCount = await counted();

  const queue = new Queue(QueueName.RUNTIME_EVENTS, { connection: env.redis, prefix: bullPrefix(prefix) });
  const jobs = await queue.getJobCounts('failed', 'waiting', 'active', 'delayed');
  await queue.close();
  const { rows: health } = await env.pool.query<{ not_healthy: number }>(
    `SELECT count(*) FILTER (WHERE health <> 'HEALTHY')::int AS not_healthy FROM provider_keys WHERE id = ANY($1::uuid[])`,
    [keyIds],
  );
  check(warm.accepted === WARMUP_REQUESTS * BATCH && sent.accepted === total, `the api accepted every report (${sent.accepted} of ${total})`);
  check(finalCount === warm.accepted + total, `the worker counted every report once: ${finalCount} counted, ${warm.accepted + total} sent`);
  check(jobs.failed === 0 && jobs.waiting === 0 && jobs.active === 0 && jobs.delayed === 0, `no runtime job failed or is left (${JSON.stringify(jobs)})`);
  check(health[0].not_healthy === 0, `no key changed health (${health[0].not_healthy} did)`);

  const acceptedRate = total / sent.seconds;
  const countedRate = total / endToEnd;
  log(`api: ${total} reports accepted in ${sent.seconds.toFixed(2)} s, all counted ${endToEnd.toFixed(2)} s after the first was sent`);
  const batchesOf = `${total.toLocaleString('en-US')} reports, batches of ${BATCH}, ${IN_FLIGHT} in flight`;
  const echoBaseline = { name: 'bare node:http JSON echo', value: baselineRate };
  return {
    workload: WORKLOAD,
    rows: [
      row(WORKLOAD, `reports/s accepted by reportModelCalls, ${batchesOf}`, 'reports/s', acceptedRate, echoBaseline),
      row(WORKLOAD, `reports/s counted by the worker, end to end (last one counted)`, 'reports/s', countedRate, echoBaseline),
      row(WORKLOAD, 'worker lag: last accepted → last counted', 's', Math.max(0, endToEnd - sent.seconds)),
    ],
    checks: [
      `api accepted ${sent.accepted} of ${total} reports (plus ${warm.accepted} warm-up)`,
      `worker counted ${finalCount} = every report sent, none twice`,
      'no runtime job failed or left over',
      `all ${keyIds.length} keys still HEALTHY`,
    ],
    seconds: (Date.now() - started) / 1000,
  };
}

/** 100 reports over one workspace's keys: one transient failure first, then successes (never 5 in a row, never half). */
function reportsFor(keys: readonly string[]): ReportInput[] {
  return Array.from({ length: BATCH }, (_, i) =>
    i === 0
      ? failure(keys[0], 503, { modelId: 'gpt-4o', errorCode: 'server_error', message: 'The engine is currently overloaded.' })
      : success(keys[i % keys.length], { modelId: 'gpt-4o' }),
  );
}

/** POSTs `count` requests, cycling through the batches, IN_FLIGHT at a time over keep-alive sockets. */
async function sendAll(url: string, batches: readonly Batch[], count: number): Promise<{ accepted: number; seconds: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  let next = 0;
  let accepted = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < count) {
      // Not `accepted += await ...`: that would read `accepted` before the await and lose the other lanes' adds.
      const answered = await post(agent, url, batches[next++ % batches.length]);
      accepted += answered;
    }
  };
  try {
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  } finally {
    agent.destroy();
  }
  return { accepted, seconds: (performance.now() - t0) / 1000 };
}

function post(agent: Agent, url: string, batch: Batch): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${batch.token}`, 'content-length': Buffer.byteLength(batch.body) };
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          const accepted = (JSON.parse(text) as { data?: { reportModelCalls?: unknown } }).data?.reportModelCalls;
          if (res.statusCode === 200 && typeof accepted === 'number') return resolve(accepted);
        } catch {
          // Reported below with the text.
        }
        reject(new Error(`reportModelCalls answered ${res.statusCode}: ${text.slice(0, 300)}`));
      });
    });
    req.on('error', reject);
    req.end(batch.body);
  });
}
