import type { Redis } from 'ioredis';
import type { RuntimeHealthSettings } from '../config';
import { KeyHealth } from '../keys/key-status';
import { APPLY_REPORTS, END_COOLDOWN, type LuaScript, SETTLE } from './runtime-counter.scripts';

/** What one reported call counts as: a success, a transient failure, a 429, or why the key is bad. */
export type CallKind = 'success' | 'transient' | 'rate_limited' | 'invalid_key' | 'permission_denied' | 'quota_exceeded';

export interface CountedCall {
  readonly kind: CallKind;
  /** When the call happened, epoch ms; slices of the window are by this time. */
  readonly at: number;
}

export interface HealthCounts {
  readonly consecutiveFailures: number;
  readonly windowCalls: number;
  readonly windowFailures: number;
}

/** A transition the counters decided and that is not yet known to be written to Postgres. */
export interface CounterTransition {
  /** Names the transition, so settling an old one never forgets a newer one. */
  readonly id: string;
  readonly from: KeyHealth;
  readonly to: KeyHealth;
  /** consecutive_failures, failure_ratio, rate_limited, invalid_key, permission_denied, quota_exceeded, cooldown_passed */
  readonly reason: string;
  /** The counts at the report that decided it. */
  readonly counts: HealthCounts;
  /** Redis time of the decision: a key test that finished later knows better. */
  readonly decidedAt: Date;
  /** The DEGRADED episode and its cooldown end (ms), for the cooldown job. */
  readonly episode: number;
  readonly cooldownUntil: number;
}

export interface CounterState extends HealthCounts {
  readonly state: KeyHealth;
  readonly cooldownUntil: number;
  readonly episode: number;
}

/** The window is kept as this many slices: memory per key is bounded, the edge is one slice wide. */
export const WINDOW_SLICES = 30;
/**
 * A job is retried within seconds (backoff) or after a stalled lock (JOB_LOCK_MS, a few times):
 * an hour covers both, and keeps one small set per recent job rather than per job ever run.
 */
const JOB_MARKER_TTL_MS = 60 * 60 * 1000;

/**
 * Runtime outcome counters per key and secret version, in Redis under `<REDIS_PREFIX>:runtime-health:`.
 * A rotated key starts from nothing (its hash has the new version in its name).
 */
export class RuntimeCounters {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly settings: RuntimeHealthSettings,
  ) {
    // Long enough to keep a full window and a cooldown; a quiet key then starts afresh.
    this.ttlMs = 2 * settings.failureWindowMs + settings.rateLimitCooldownMs;
  }

  stateKey(keyId: string, secretVersion: number): string {
    return `${this.prefix}:runtime-health:${keyId}:${secretVersion}`;
  }

  /** Counts one job's calls for one key; `jobId` makes a retried job count nothing twice. */
  async apply(jobId: string, keyId: string, secretVersion: number, calls: readonly CountedCall[]): Promise<{ counted: boolean; transition?: CounterTransition }> {
    const { failureThreshold, failureRatio, minCalls, failureWindowMs, rateLimitCooldownMs } = this.settings;
    const args = [
      `${keyId}:${secretVersion}`,
      failureThreshold,
      Math.round(failureRatio * 1_000_000),
      minCalls,
      failureWindowMs,
      WINDOW_SLICES,
      rateLimitCooldownMs,
      this.ttlMs,
      JOB_MARKER_TTL_MS,
      ...calls.flatMap((call) => [call.kind, Math.floor(call.at)]),
    ];
    const reply = await this.run(APPLY_REPORTS, [this.stateKey(keyId, secretVersion), `${this.prefix}:runtime-health:job:${jobId}`], args);
    return { counted: reply[0] === 1, transition: transitionOf(reply.slice(1)) };
  }

  /** Ends a DEGRADED episode if its cooldown passed; otherwise says until when to wait. */
  async endCooldown(keyId: string, secretVersion: number, episode: number): Promise<{ waitUntil?: number; transition?: CounterTransition }> {
    const reply = await this.run(END_COOLDOWN, [this.stateKey(keyId, secretVersion)], [episode, this.ttlMs]);
    const waitUntil = Number(reply[0]);
    return { waitUntil: waitUntil > 0 ? waitUntil : undefined, transition: transitionOf(reply.slice(1)) };
  }

  async settle(keyId: string, secretVersion: number, transitionId: string): Promise<void> {
    await this.run(SETTLE, [this.stateKey(keyId, secretVersion)], [transitionId]);
  }

  /** A passing test of this secret version: the key starts counting afresh. */
  async clear(keyId: string, secretVersion: number): Promise<void> {
    await this.redis.del(this.stateKey(keyId, secretVersion));
  }

  /** What the counters hold now (for operators and tests). */
  async read(keyId: string, secretVersion: number): Promise<CounterState> {
    const [state, consec, calls, fails, until, episode] = await this.redis.hmget(this.stateKey(keyId, secretVersion), 'state', 'consec', 'calls', 'fails', 'until', 'episode');
    return {
      state: (state as KeyHealth | null) ?? KeyHealth.HEALTHY,
      consecutiveFailures: Number(consec ?? 0),
      windowCalls: Number(calls ?? 0),
      windowFailures: Number(fails ?? 0),
      cooldownUntil: Number(until ?? 0),
      episode: Number(episode ?? 0),
    };
  }

  /** EVALSHA, loading the script once per Redis server (a restart forgets it: NOSCRIPT, then EVAL). */
  private async run(script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown[]> {
    try {
      return (await this.redis.evalsha(script.sha, keys.length, ...keys, ...args)) as unknown[];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await this.redis.eval(script.source, keys.length, ...keys, ...args)) as unknown[];
    }
  }
}

function transitionOf(fields: unknown[]): CounterTransition | undefined {
  const [id, from, to, reason, consec, calls, fails, at, episode, until] = fields as (string | null)[];
  if (!id || !from || !to || !reason) return undefined;
  return {
    id,
    from: from as KeyHealth,
    to: to as KeyHealth,
    reason,
    counts: { consecutiveFailures: Number(consec), windowCalls: Number(calls), windowFailures: Number(fails) },
    decidedAt: new Date(Number(at)),
    episode: Number(episode),
    cooldownUntil: Number(until),
  };
}
