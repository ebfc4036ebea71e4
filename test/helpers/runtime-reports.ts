import { RuntimeCounters, type CounterState } from '../../src/runtime/runtime-counters';
import { waitUntil } from './processes';
import type { TestApi } from './test-api';

export const REPORT_CALLS = 'mutation($reports: [ModelCallReport!]!) { reportModelCalls(reports: $reports) }';

export interface ReportInput {
  keyId: string;
  outcome: 'SUCCESS' | 'FAILURE';
  httpStatus?: number;
  errorCode?: string;
  message?: string;
  modelId?: string;
  at?: string;
  secretVersion?: number;
}

export const success = (keyId: string, extra: Partial<ReportInput> = {}): ReportInput => ({ keyId, outcome: 'SUCCESS', httpStatus: 200, ...extra });
export const failure = (keyId: string, httpStatus: number, extra: Partial<ReportInput> = {}): ReportInput => ({ keyId, outcome: 'FAILURE', httpStatus, ...extra });

/** Sends one reportModelCalls and returns how many were accepted; fails the test on any error. */
export async function report(api: TestApi, token: string, reports: ReportInput[]): Promise<number> {
  const response = await api.gql<{ reportModelCalls: number }>(REPORT_CALLS, { reports }, token);
  if (response.errors) throw new Error(`reportModelCalls failed: ${JSON.stringify(response.errors)}`);
  return response.data!.reportModelCalls;
}

/** The counters the workers keep, read straight from Redis. */
export function countersOf(api: TestApi): RuntimeCounters {
  return new RuntimeCounters(api.app.core.redis, api.config.redisPrefix, api.config.runtimeHealth);
}

/** Waits until the worker counted `calls` calls in the key's window (so every report sent before was processed). */
export async function waitForCounted(api: TestApi, keyId: string, calls: number, secretVersion = 1, timeoutMs = 20_000): Promise<CounterState> {
  let state: CounterState | undefined;
  await waitUntil(
    async () => {
      state = await countersOf(api).read(keyId, secretVersion);
      return state.windowCalls >= calls;
    },
    timeoutMs,
    `${calls} counted calls of key ${keyId}`,
  );
  return state!;
}

export interface HealthAudit {
  from: string;
  to: string;
  reason: string;
  source?: string;
  counts?: { consecutiveFailures: number; windowCalls: number; windowFailures: number };
  created_at: Date;
}

/** The key's key.health_changed audit rows, oldest first. */
export async function healthAudits(api: TestApi, keyId: string): Promise<HealthAudit[]> {
  const rows = (await api.app.core.db.query(
    "SELECT details, created_at FROM audit_events WHERE target_id = $1 AND action = 'key.health_changed' ORDER BY id",
    [keyId],
  )) as { details: Omit<HealthAudit, 'created_at'>; created_at: Date }[];
  return rows.map((row) => ({ ...row.details, created_at: row.created_at }));
}

export async function healthOf(api: TestApi, keyId: string): Promise<string> {
  const [row] = (await api.app.core.db.query('SELECT health FROM provider_keys WHERE id = $1', [keyId])) as { health: string }[];
  return row.health;
}

export async function waitForHealth(api: TestApi, keyId: string, health: string, timeoutMs = 20_000): Promise<void> {
  await waitUntil(async () => (await healthOf(api, keyId)) === health, timeoutMs, `key ${keyId} to be ${health}`);
}
