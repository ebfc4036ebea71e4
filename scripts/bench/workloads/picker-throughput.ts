import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../test/helpers/processes';
import type { BenchEnv, ServiceProcess } from '../bench-env';
import { runHttpLoadInChild, type HttpLoadResult } from '../load/http-load';
import { seedKeys, seedListings } from '../seed';
import { check, median, row, type Row, type WorkloadResult } from '../stats';

const PICKER = JSON.stringify({
  query: 'query Picker { availableModels(capability: WRITING) { id modelId displayName capabilities available lockedReason provider { id slug name } } }',
});
const HELLO = JSON.stringify({ query: '{ hello }' });
/** 10 keys per workspace: two of each of these providers, every key listing MODELS_PER_KEY models. */
const PROVIDERS = ['openai', 'anthropic', 'google', 'mistral', 'openrouter'];
const KEYS_PER_PROVIDER = 2;
const MODELS_PER_KEY = 300;
const CONNECTIONS = 10;

/**
 * Picker throughput: `availableModels(capability: WRITING)` with a valid token of a workspace picked
 * round-robin from 1,000 (quick: 100), each with 10 keys × 300 models. Baselines in the same run,
 * alternating round by round with the picker: plain node:http returning the same bytes, and a bare
 * Apollo Server 5 + type-graphql answering `{ hello }`.
 */
export async function pickerThroughput(env: BenchEnv, log: (line: string) => void): Promise<WorkloadResult> {
  const started = Date.now();
  const workspaceCount = env.options.quick ? 100 : 1000;
  const rounds = env.options.quick ? 1 : 3;
  const seconds = env.options.quick ? 5 : 10;

  const workspaces = await env.createWorkspaces(workspaceCount, 'picker');
  const ids = workspaces.map((w) => w.id);
  for (const provider of PROVIDERS) {
    await seedKeys(env, { workspaceIds: ids, provider, keysPerWorkspace: KEYS_PER_PROVIDER, endpoint: `https://${provider}.example/v1` });
  }
  await seedListings(env, ids, MODELS_PER_KEY);
  const { rows: counts } = await env.pool.query<{ key_models: number; models: number }>(
    'SELECT (SELECT count(*)::int FROM key_models) AS key_models, (SELECT count(*)::int FROM models) AS models',
  );
  log(`seeded ${workspaceCount} workspaces × ${PROVIDERS.length * KEYS_PER_PROVIDER} keys × ${MODELS_PER_KEY} models (${counts[0].key_models} key-model rows) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const prefix = env.prefix('picker');
  const api = await env.startApi(prefix);
  const first = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${workspaces[0].token}` },
    body: PICKER,
  });
  const bytes = Buffer.from(await first.arrayBuffer());
  const answer = JSON.parse(bytes.toString('utf8')) as { data?: { availableModels: { available: boolean; capabilities: string[] }[] } };
  const models = answer.data?.availableModels ?? [];
  const { rows: expected } = await env.pool.query<{ n: number }>(
    `SELECT count(DISTINCT m.id)::int AS n FROM key_models km JOIN provider_keys k ON k.id = km.key_id JOIN models m ON m.id = km.model_record_id
      WHERE k.workspace_id = $1 AND 'WRITING' = ANY(m.capabilities)`,
    [workspaces[0].id],
  );
  check(first.status === 200 && models.length === expected[0].n, `the picker lists the ${expected[0].n} writing models the keys unlock (got ${models.length})`);
  check(models.every((m) => m.available && m.capabilities.includes('WRITING')), 'every model the picker lists is available and can write');

  const dir = mkdtempSync(join(tmpdir(), 'byok-bench-'));
  const answerFile = join(dir, 'picker.json');
  writeFileSync(answerFile, bytes);
  const rawPort = await freePort();
  const helloPort = await freePort();
  const raw = await env.startScript('raw node:http', 'scripts/bench/baselines/raw-http-server.ts', rawPort, [String(rawPort), answerFile]);
  const hello = await env.startScript('bare Apollo', 'scripts/bench/baselines/hello-server.ts', helloPort, [String(helloPort)]);
  rmSync(dir, { recursive: true, force: true });

  const tokens = workspaces.map((w) => w.token);
  const targets: { name: string; server: ServiceProcess; body: string; tokens: readonly string[]; prefix: string }[] = [
    { name: 'raw node:http, same bytes', server: raw, body: PICKER, tokens: [], prefix: '{"data":{"availableModels":[' },
    { name: 'Apollo + type-graphql { hello }', server: hello, body: HELLO, tokens: [], prefix: '{"data":{"hello":"world"}}' },
    { name: 'picker', server: api, body: PICKER, tokens, prefix: '{"data":{"availableModels":[{' },
  ];
  const results = new Map<string, HttpLoadResult[]>(targets.map((t) => [t.name, []]));
  const load = (t: (typeof targets)[number], durationSeconds: number) =>
    runHttpLoadInChild({ url: `${t.server.url}/graphql`, body: t.body, connections: CONNECTIONS, durationSeconds, tokens: t.tokens, expectPrefix: t.prefix });
  // Warm-up (JIT, pools, caches), not counted.
  for (const t of targets) await load(t, 2);
  for (let round = 0; round < rounds; round += 1) {
    for (const t of targets) {
      const result = await load(t, seconds);
      check(result.bad === 0, `${t.name}: every answer was 200 with the right body (${result.bad} bad of ${result.requests})`);
      check(result.requests > 0, `${t.name}: answered requests`);
      results.get(t.name)!.push(result);
      log(`round ${round + 1}/${rounds} ${t.name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
    }
  }

  const summary = (name: string) => {
    const all = results.get(name)!;
    return {
      rps: all.reduce((sum, r) => sum + r.requests, 0) / all.reduce((sum, r) => sum + r.seconds, 0),
      p50: median(all.map((r) => r.p50Ms)),
      p99: median(all.map((r) => r.p99Ms)),
    };
  };
  const picker = summary('picker');
  const out: Row[] = [];
  for (const baseline of targets.slice(0, 2)) {
    const b = summary(baseline.name);
    out.push(row('picker', 'requests/s', 'req/s', picker.rps, { name: baseline.name, value: b.rps }));
    out.push(row('picker', 'latency p50', 'ms', picker.p50, { name: baseline.name, value: b.p50 }));
    out.push(row('picker', 'latency p99', 'ms', picker.p99, { name: baseline.name, value: b.p99 }));
  }
  return {
    workload: 'picker',
    rows: out,
    checks: [
      `${workspaceCount} workspaces × 10 keys × ${MODELS_PER_KEY} models; ${models.length} writing models per answer, matching SQL`,
      `every answer of every round 200 with the expected body (${CONNECTIONS} connections, ${rounds} × ${seconds} s per target, alternating)`,
    ],
    seconds: (Date.now() - started) / 1000,
  };
}
