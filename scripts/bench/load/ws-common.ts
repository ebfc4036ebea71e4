import { readFileSync } from 'node:fs';
import { gql } from '../../../test/helpers/graphql-client';
import { failure, REPORT_CALLS } from '../../../test/helpers/runtime-reports';

/** What the socket workloads (flip-to-screen, fan-out) and their subscriber processes share. */

/** The least a dashboard needs to show a flip: which key, and its health now. */
export const KEY_STATUS_SUBSCRIPTION = 'subscription { keyStatusChanged { id health } }';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes of one machine. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Sends `count` transient failures (503) of one key in one reportModelCalls: that many in a row
 * (FAILURE_THRESHOLD) make the key UNHEALTHY. Returns how many the api accepted; any error throws.
 */
export async function reportFailures(apiUrl: string, token: string, keyId: string, count: number): Promise<number> {
  const reports = Array.from({ length: count }, () => failure(keyId, 503));
  const response = await gql<{ reportModelCalls: number }>(`${apiUrl}/graphql`, REPORT_CALLS, { reports }, token);
  if (response.status !== 200 || response.errors || !response.data) throw new Error(`reportModelCalls ${response.status}: ${JSON.stringify(response.errors).slice(0, 500)}`);
  return response.data.reportModelCalls;
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
