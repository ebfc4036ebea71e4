import { fork } from 'node:child_process';
import autocannon from 'autocannon';

/**
 * A load generator in its own process (so it never shares a CPU queue with the bench runner's own
 * work): POSTs one GraphQL body with autocannon, cycling through bearer tokens, and checks every
 * answer. Gets its spec over IPC and answers with the result.
 */
export interface HttpLoadSpec {
  readonly url: string;
  readonly body: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Sent round-robin, one per request; none for a server without auth. */
  readonly tokens: readonly string[];
  /** Every answer must be 200 and start with this. */
  readonly expectPrefix: string;
}

export interface HttpLoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Non-200 answers, wrong bodies, errors and timeouts: must be 0 for the numbers to count. */
  readonly bad: number;
}

export async function runHttpLoad(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  let next = 0;
  let wrong = 0;
  const result = await autocannon({
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    duration: spec.durationSeconds,
    headers: { 'content-type': 'application/json' },
    body: spec.body,
    requests: [
      {
        setupRequest: (request) => {
          if (spec.tokens.length === 0) return request;
          const token = spec.tokens[next++ % spec.tokens.length];
          return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
        },
        onResponse: (status, body) => {
          if (status !== 200 || !body.startsWith(spec.expectPrefix)) wrong += 1;
        },
      },
    ],
  });
  const seconds = result.duration;
  return {
    requests: result.requests.total,
    seconds,
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    bad: wrong + result.errors + result.timeouts,
  };
}

if (require.main === module) {
  process.once('message', (spec: HttpLoadSpec) => {
    runHttpLoad(spec).then(
      (result) => process.send!({ result }, () => process.disconnect()),
      (error: unknown) => process.send!({ error: String((error as Error).stack ?? error) }, () => process.disconnect()),
    );
  });
}

/** Runs one load in a child process of its own and waits for its result. */
export function runHttpLoadInChild(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { execArgv: ['-r', 'ts-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (message: { result?: HttpLoadResult; error?: string }) => {
      settled = true;
      if (message.result) resolve(message.result);
      else reject(new Error(`load generator failed: ${message.error}`));
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with ${code} before answering`));
    });
    child.send(spec);
  });
}
