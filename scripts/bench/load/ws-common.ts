import { readFileSync } from 'node:fs';

/** What the socket workloads (flip-to-screen, fan-out) and their subscriber processes share. */

/** The least a dashboard needs to show a flip: which key, and its health now. */
export const KEY_STATUS_SUBSCRIPTION = 'subscription { keyStatusChanged { id health } }';

export const REPORT_MODEL_CALLS = 'mutation($reports: [ModelCallReport!]!) { reportModelCalls(reports: $reports) }';

/** 503s are transient failures: `count` of them in a row (FAILURE_THRESHOLD) make the key UNHEALTHY. */
export function transientFailures(keyId: string, count: number): { keyId: string; outcome: 'FAILURE'; httpStatus: number }[] {
  return Array.from({ length: count }, () => ({ keyId, outcome: 'FAILURE' as const, httpStatus: 503 }));
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes of one machine. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** POSTs one operation and returns its data; any GraphQL or HTTP error throws. */
export async function postGraphQL<T>(apiUrl: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors || !body.data) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

/** The api's own count of live subscriptions (byok_graphql_subscriptions_active), from /metrics. */
export async function activeSubscriptions(apiUrl: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const match = /^byok_graphql_subscriptions_active\{[^}]*\} (\d+)/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/** The soft limit of open files of a process (Linux), to know N sockets fit before opening them. */
export function openFilesLimit(pid: number): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return !match || match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}
