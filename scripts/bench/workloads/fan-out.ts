import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort, ROOT, waitUntil } from '../../../test/helpers/processes';
import type { BenchEnv } from '../bench-env';
import { activeSubscriptions, KEY_STATUS_SUBSCRIPTION, openFilesLimit, reportFailures, wallClockMs } from '../load/ws-common';
import type { FromSubscribers, SubscriberMode, ToSubscribers } from '../load/ws-subscribers';
import { seedKeys } from '../seed';
import { check, percentile, row, type WorkloadResult } from '../stats';

const SUBSCRIBERS = { quick: 1_000, full: 10_000 };
/** Load generator processes; the sockets' client side gets the other core while the api works. */
const CHILDREN = 2;
/** WebSocket handshakes in flight per load generator process. */
const IN_FLIGHT = 50;
/** FAILURE_THRESHOLD's default: this many transient failures in a row make a key UNHEALTHY. */
const THRESHOLD = 5;
const OPEN_TIMEOUT_MS = 120_000;
const DELIVERY_TIMEOUT_MS = 30_000;
/** After the last expected arrival: long enough for a duplicate to show. */
const GRACE_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the child's next message of `type`; a `failed` message or its exit rejects. */
function nextMessage<T extends FromSubscribers['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromSubscribers, { type: T }>> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error, message?: FromSubscribers) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message as Extract<FromSubscribers, { type: T }>);
    };
    const onMessage = (message: FromSubscribers) => {
      if (message.type === type) done(undefined, message);
      else if (message.type === 'failed') done(new Error(`load generator ${child.pid}: ${message.error}`));
    };
    const onExit = (code: number | null) => done(new Error(`load generator ${child.pid} exited (${code}) while waiting for "${type}"`));
    const timer = setTimeout(() => done(new Error(`load generator ${child.pid}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Sends `message` to every child and waits for each one's `reply`. */
function askAll<T extends FromSubscribers['type']>(children: ChildProcess[], message: ToSubscribers | ((i: number) => ToSubscribers), reply: T, timeoutMs: number) {
  const replies = children.map((child) => nextMessage(child, reply, timeoutMs));
  children.forEach((child, i) => child.send(typeof message === 'function' ? message(i) : message));
  return Promise.all(replies);
}

interface Delivery {
  /** ms from the trigger to each socket's first expected event (NaN: never arrived). */
  readonly latencies: number[];
  /** Sockets that saw the expected event exactly once. */
  readonly exactlyOnce: number;
  readonly other: number;
  readonly errors: string[];
  /** From asking for the sockets until every one was open and confirmed. */
  readonly openSeconds: number;
}

/**
 * Opens `total` sockets spread over the children, lets `trigger` cause one event, and collects
 * when each socket first saw it. `opened` runs once every socket is open (and confirmed server-side).
 */
async function deliver(
  children: ChildProcess[],
  options: { mode: SubscriberMode; url: string; token: string; total: number; keyId: string },
  opened: () => Promise<void>,
  trigger: () => Promise<void>,
): Promise<Delivery> {
  const openStarted = Date.now();
  const share = (i: number) => Math.floor(options.total / children.length) + (i < options.total % children.length ? 1 : 0);
  await askAll(children, (i) => ({ type: 'open', mode: options.mode, url: options.url, token: options.token, count: share(i), inFlight: IN_FLIGHT }), 'opened', OPEN_TIMEOUT_MS);
  await opened();
  const openSeconds = (Date.now() - openStarted) / 1000;
  await askAll(children, { type: 'expect', keyId: options.keyId }, 'expecting', 10_000);
  const allReceived = Promise.allSettled(children.map((child) => nextMessage(child, 'all-received', DELIVERY_TIMEOUT_MS)));
  const t0 = wallClockMs();
  await trigger();
  // A child that timed out shows in the counts below, which the checks then refuse.
  await allReceived;
  await sleep(GRACE_MS);
  const reports = await askAll(children, { type: 'report' }, 'arrivals', 30_000);
  await askAll(children, { type: 'close' }, 'closed', 60_000);
  const first = reports.flatMap((r) => r.first);
  return {
    latencies: first.map((at) => (at === 0 ? Number.NaN : at - t0)),
    exactlyOnce: reports.reduce((n, r) => n + r.matching.filter((m) => m === 1).length, 0),
    other: reports.reduce((n, r) => n + r.other, 0),
    errors: reports.flatMap((r) => r.errors),
    openSeconds,
  };
}

const maxOf = (samples: number[]) => samples.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);

/**
 * Fan-out: N graphql-ws subscribers (one socket, one keyStatusChanged subscription each) on one api
 * process, in one workspace; one runtime flip reported to that api; the time from sending the report
 * until each subscriber has the event, and the api's memory per subscriber. Baseline: the same N
 * sockets on a bare `ws` server broadcasting one message. The sockets' client side runs in child
 * processes (scripts/bench/load/ws-subscribers.ts).
 */
export async function fanOut(env: BenchEnv, log: (line: string) => void): Promise<WorkloadResult> {
  const started = Date.now();
  const total = env.options.quick ? SUBSCRIBERS.quick : SUBSCRIBERS.full;
  const prefix = env.prefix('fan-out');
  const [workspace] = await env.createWorkspaces(1, 'fan-out');
  // Key 0 warms the path up; key 1 is the one status change measured. Nothing calls the endpoint.
  const [warmKey, keyId] = await seedKeys(env, { workspaceIds: [workspace.id], provider: 'openai', keysPerWorkspace: 2, endpoint: 'http://127.0.0.1:9/v1' });
  const overrides = { FAILURE_THRESHOLD: String(THRESHOLD) };
  const [api] = await Promise.all([env.startApi(prefix, overrides, 'api'), env.startWorker(prefix, overrides, 'worker')]);
  const limit = openFilesLimit(api.pid);
  check(limit >= total + 1_000, `the api may open ${total} sockets (its open files limit is ${limit})`);
  const wsUrl = `${api.url.replace('http', 'ws')}/graphql`;
  const report = async (key: string) => {
    const accepted = await reportFailures(api.url, workspace.token, key, THRESHOLD);
    check(accepted === THRESHOLD, `the api accepted all ${THRESHOLD} reports of key ${key}`);
  };

  // Warm-up, so the memory before is of a process that has served a subscription and a flip.
  const warm = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${workspace.token}` } });
  let warmTimer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      warm.subscribe<{ keyStatusChanged: { id: string } }>({ query: KEY_STATUS_SUBSCRIPTION }, {
        next: (value) => value.data?.keyStatusChanged.id === warmKey && resolve(),
        error: reject,
        complete: () => undefined,
      });
      waitUntil(async () => (await activeSubscriptions(api.url)) === 1, 10_000, 'the warm-up subscription')
        .then(() => report(warmKey))
        .catch(reject);
      warmTimer = setTimeout(() => reject(new Error('the warm-up flip never arrived')), 15_000);
    });
  } finally {
    clearTimeout(warmTimer);
    await warm.dispose();
  }
  await waitUntil(async () => (await activeSubscriptions(api.url)) === 0, 10_000, 'the warm-up subscription to close');
  await sleep(1_000);

  const children = Array.from({ length: CHILDREN }, () =>
    fork(join(ROOT, 'scripts/bench/load/ws-subscribers.ts'), [], { cwd: ROOT, execArgv: ['-r', 'ts-node/register'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  try {
    // The service: N subscribers on the api, one flip reported to it.
    const rssBefore = api.rssBytes();
    let rssAfter = 0;
    const service = await deliver(
      children,
      { mode: 'graphql', url: wsUrl, token: workspace.token, total, keyId },
      async () => {
        // The api's own count: every subscription is live before the flip.
        await waitUntil(async () => (await activeSubscriptions(api.url)) === total, 30_000, `${total} live subscriptions on the api`);
        await sleep(1_000);
        rssAfter = api.rssBytes();
      },
      () => report(keyId),
    );
    log(`${total} subscribers opened in ${service.openSeconds.toFixed(1)} s; first arrival ${service.latencies.reduce((a, b) => Math.min(a, b), Infinity).toFixed(1)} ms, max ${maxOf(service.latencies).toFixed(1)} ms`);
    check(service.errors.length === 0, `no subscriber errors (got ${service.errors.slice(0, 3).join('; ')})`);
    check(service.latencies.length === total && service.latencies.every((l) => Number.isFinite(l)), `all ${total} subscribers received the event (missing: ${service.latencies.filter((l) => !Number.isFinite(l)).length})`);
    check(service.exactlyOnce === total, `every subscriber received it exactly once (${service.exactlyOnce} of ${total})`);
    check(service.other === 0, `no other event arrived (got ${service.other})`);
    const { rows } = await env.pool.query<{ health: string }>('SELECT health FROM provider_keys WHERE id = $1', [keyId]);
    check(rows[0]?.health === 'UNHEALTHY', 'the database says the flipped key is UNHEALTHY');
    await waitUntil(async () => (await activeSubscriptions(api.url)) === 0, 30_000, 'the subscribers to close');

    // The baseline: the same sockets on a bare ws server, one broadcast.
    const port = await freePort();
    const bare = await env.startScript('ws-baseline', 'scripts/bench/baselines/ws-broadcast-server.ts', port, [String(port)], '/');
    const count = async () => Number(await (await fetch(`${bare.url}/`)).text());
    await sleep(1_000);
    const bareBefore = bare.rssBytes();
    let bareAfter = 0;
    const baseline = await deliver(
      children,
      { mode: 'raw', url: `ws://127.0.0.1:${port}/`, token: '', total, keyId },
      async () => {
        await waitUntil(async () => (await count()) === total, 30_000, `${total} sockets on the bare server`);
        await sleep(1_000);
        bareAfter = bare.rssBytes();
      },
      async () => {
        const body = JSON.stringify({ keyStatusChanged: { id: keyId, health: 'UNHEALTHY' } });
        const sent = await fetch(`${bare.url}/broadcast`, { method: 'POST', body });
        check(Number(await sent.text()) === total, `the bare server broadcast to ${total} sockets`);
      },
    );
    log(`${total} bare sockets opened in ${baseline.openSeconds.toFixed(1)} s; max ${maxOf(baseline.latencies).toFixed(1)} ms`);
    check(baseline.latencies.every((l) => Number.isFinite(l)) && baseline.exactlyOnce === total, `all ${total} baseline sockets received the broadcast once`);
    await bare.stop();

    const stat = (samples: number[], p: number) => (p === 100 ? maxOf(samples) : percentile(samples, p));
    const timeRows = ([['p50', 50], ['p99', 99], ['max', 100]] as const).map(([name, p]) =>
      row('fan-out', `${total} subscribers: report sent → event at subscriber, ${name}`, 'ms', stat(service.latencies, p), {
        name: `bare ws broadcast → arrival, ${name}`,
        value: stat(baseline.latencies, p),
      }),
    );
    const perSubscriber = (rssAfter - rssBefore) / total / 1024;
    const perBareSocket = (bareAfter - bareBefore) / total / 1024;
    log(`api RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB; bare server ${(bareBefore / 2 ** 20).toFixed(0)} → ${(bareAfter / 2 ** 20).toFixed(0)} MiB`);
    return {
      workload: 'fan-out',
      rows: [
        ...timeRows,
        row('fan-out', 'api memory per subscriber (RSS growth / N)', 'KiB', perSubscriber, { name: 'bare ws server per socket', value: perBareSocket }),
      ],
      checks: [
        `${total} subscribers on ${CHILDREN} load generator processes, all live on the api before the flip`,
        'each received exactly one keyStatusChanged, for the flipped key, as UNHEALTHY; no other event, no errors',
        'the database holds the key UNHEALTHY',
        `the baseline's ${total} sockets each received its broadcast once`,
      ],
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}
