import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { waitUntil } from '../../../test/helpers/processes';
import type { BenchEnv } from '../bench-env';
import { activeSubscriptions, KEY_STATUS_SUBSCRIPTION, reportFailures, wallClockMs } from '../load/ws-common';
import { seedKeys } from '../seed';
import { check, percentile, row, type WorkloadResult } from '../stats';

/** The issue asks for at least 200 flips; both modes keep that (a flip takes tens of ms). */
const FLIPS = { quick: 200, full: 500 };
/** Flips before measuring: JIT, connection pools and BullMQ's blocking reads warm up. */
const WARM_UP = 5;
/** FAILURE_THRESHOLD's default: this many transient failures in a row make a key UNHEALTHY. */
const THRESHOLD = 5;
const EVENT_TIMEOUT_MS = 10_000;

interface Arrival {
  readonly id: string;
  readonly health: string;
  readonly at: number;
}

/**
 * Flip-to-screen: a runtime report crossing the health threshold goes to api A; the time until a
 * graphql-ws client on api B sees keyStatusChanged for that key as UNHEALTHY (queue → worker →
 * Postgres → Redis pub/sub → B → socket). Baseline: a bare Redis PUBLISH → SUBSCRIBE round trip,
 * measured between the flips so both see the same machine load.
 */
export async function flipToScreen(env: BenchEnv, log: (line: string) => void): Promise<WorkloadResult> {
  const started = Date.now();
  const flips = env.options.quick ? FLIPS.quick : FLIPS.full;
  const prefix = env.prefix('flip');
  const [workspace] = await env.createWorkspaces(1, 'flip');
  // Nothing ever calls the endpoint: no key is due for a test, and the scheduler sweeps hourly.
  const keyIds = await seedKeys(env, { workspaceIds: [workspace.id], provider: 'openai', keysPerWorkspace: WARM_UP + flips, endpoint: 'http://127.0.0.1:9/v1' });
  const overrides = { FAILURE_THRESHOLD: String(THRESHOLD) };
  const [apiA, apiB] = await Promise.all([
    env.startApi(prefix, overrides, 'api-a'),
    env.startApi(prefix, overrides, 'api-b'),
    env.startWorker(prefix, overrides, 'worker'),
  ]);
  log(`${keyIds.length} keys seeded; api A, api B and a worker started`);

  // Every event, in arrival order; a flip waits for its own key's UNHEALTHY.
  const arrivals: Arrival[] = [];
  const errors: unknown[] = [];
  let wake: (() => void) | undefined;
  const client = createClient({
    url: `${apiB.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${workspace.token}` },
    onNonLazyError: (error) => errors.push(error),
  });
  const unsubscribe = client.subscribe<{ keyStatusChanged: { id: string; health: string } }>(
    { query: KEY_STATUS_SUBSCRIPTION },
    {
      next: (value) => {
        const at = wallClockMs();
        if (value.errors || !value.data) errors.push(value.errors);
        else arrivals.push({ ...value.data.keyStatusChanged, at });
        wake?.();
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  const publisher = env.redis;
  const subscriber = new Redis(env.redisUrl);
  try {
    // B confirms the subscription is live before the first report.
    await waitUntil(async () => (await activeSubscriptions(apiB.url)) === 1, 10_000, 'the subscription on api B');

    const waitForArrival = (predicate: (a: Arrival) => boolean, what: string) =>
      new Promise<Arrival>((resolve, reject) => {
        const timer = setTimeout(() => {
          wake = undefined;
          reject(new Error(`no event within ${EVENT_TIMEOUT_MS} ms for ${what}; errors: ${JSON.stringify(errors).slice(0, 500)}`));
        }, EVENT_TIMEOUT_MS);
        const look = () => {
          const found = arrivals.find(predicate);
          if (!found) return;
          clearTimeout(timer);
          wake = undefined;
          resolve(found);
        };
        wake = look;
        look();
      });

    const flip = async (keyId: string): Promise<number> => {
      const event = waitForArrival((a) => a.id === keyId && a.health === 'UNHEALTHY', `key ${keyId}`);
      const t0 = wallClockMs();
      const accepted = await reportFailures(apiA.url, workspace.token, keyId, THRESHOLD);
      check(accepted === THRESHOLD, `api A accepted all ${THRESHOLD} reports of key ${keyId}`);
      return (await event).at - t0;
    };

    // The baseline channel is under the workload's prefix, so it never meets the service's.
    const channel = `${prefix}:bench-baseline`;
    let onMessage: ((message: string) => void) | undefined;
    subscriber.on('message', (_channel: string, message: string) => onMessage?.(message));
    await subscriber.subscribe(channel);
    const roundTrip = async (n: number): Promise<number> => {
      const received = new Promise<number>((resolve) => {
        onMessage = (message) => {
          if (message === String(n)) resolve(wallClockMs());
        };
      });
      const t0 = wallClockMs();
      await publisher.publish(channel, String(n));
      return (await received) - t0;
    };

    for (let i = 0; i < WARM_UP; i += 1) {
      await flip(keyIds[i]);
      await roundTrip(-1 - i);
    }
    const flipMs: number[] = [];
    const redisMs: number[] = [];
    for (let i = 0; i < flips; i += 1) {
      flipMs.push(await flip(keyIds[WARM_UP + i]));
      redisMs.push(await roundTrip(i));
      if ((i + 1) % 100 === 0) log(`${i + 1}/${flips} flips`);
    }

    // Every flip was seen once, as UNHEALTHY, and nothing else arrived (a late duplicate has a moment to show).
    await new Promise((resolve) => setTimeout(resolve, 500));
    check(errors.length === 0, `no subscription errors (got ${JSON.stringify(errors).slice(0, 300)})`);
    check(flipMs.length === flips, `${flips} flips measured`);
    const seen = new Map<string, number>();
    for (const a of arrivals) seen.set(a.id, (seen.get(a.id) ?? 0) + 1);
    check(arrivals.length === keyIds.length && arrivals.every((a) => a.health === 'UNHEALTHY'), `exactly ${keyIds.length} events, all UNHEALTHY (got ${arrivals.length})`);
    check(keyIds.every((id) => seen.get(id) === 1), 'one event per flipped key, for that key');
    const { rows } = await env.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM provider_keys WHERE id = ANY($1::uuid[]) AND health = 'UNHEALTHY'`, [keyIds]);
    check(rows[0].n === keyIds.length, `the database says UNHEALTHY for all ${keyIds.length} keys (got ${rows[0].n})`);

    const p50 = percentile(flipMs, 50);
    const p99 = percentile(flipMs, 99);
    log(`flip p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...flipMs).toFixed(1)} ms; Redis round trip p50 ${percentile(redisMs, 50).toFixed(2)} ms`);
    return {
      workload: 'flip',
      rows: [
        row('flip', 'flip-to-screen p50 (report on A → event on B)', 'ms', p50, { name: 'Redis PUBLISH→SUBSCRIBE p50', value: percentile(redisMs, 50) }),
        row('flip', 'flip-to-screen p99', 'ms', p99, { name: 'Redis PUBLISH→SUBSCRIBE p99', value: percentile(redisMs, 99) }),
        row('flip', 'flips measured', 'flips', flips),
      ],
      checks: [
        `${flips} flips (+${WARM_UP} warm-up) each reached the client on api B once, for the right key, as UNHEALTHY`,
        'no subscription errors',
        `the database holds UNHEALTHY for all ${keyIds.length} keys`,
      ],
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    unsubscribe();
    await client.dispose();
    subscriber.disconnect();
  }
}
