import type { DataSource, EntityManager } from 'typeorm';
import { type AuditService, SYSTEM_WORKER } from '../audit/audit.service';
import type { KeyTestSettings } from '../config';
import { recoveryDelayMs } from './key-test-recorder';
import { KeyHealth } from './key-status';
import { ProviderKey } from './provider-key.entity';

export interface HealthChange {
  readonly from: KeyHealth;
  readonly to: KeyHealth;
  readonly reason: string;
}

/**
 * Told about every runtime health flip. `inTransaction` runs inside the flip's transaction (a
 * throw rolls the flip back); `afterCommit` runs once it committed (events for subscribers).
 */
export interface KeyHealthListener {
  inTransaction?(tx: EntityManager, key: ProviderKey, change: HealthChange): Promise<void>;
  afterCommit?(key: ProviderKey, change: HealthChange): Promise<void> | void;
}

/** What the runtime counters decided for one key and secret version. */
export interface HealthDecision {
  readonly keyId: string;
  readonly secretVersion: number;
  readonly to: KeyHealth;
  readonly reason: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly decidedAt: Date;
}

export type FlipResult =
  | { readonly applied: true; readonly key: ProviderKey; readonly change: HealthChange }
  | { readonly applied: false; readonly why: 'missing' | 'older_secret' | 'tested_since' | 'unchanged' | 'not_allowed' };

/**
 * Runtime outcomes may make a key worse (UNHEALTHY from anything else, DEGRADED only from HEALTHY)
 * and end a rate-limit cooldown (DEGRADED → HEALTHY). Only a passing test lifts UNHEALTHY.
 */
const ALLOWED_FROM: Readonly<Record<KeyHealth, readonly KeyHealth[]>> = {
  [KeyHealth.UNHEALTHY]: [KeyHealth.HEALTHY, KeyHealth.DEGRADED],
  [KeyHealth.DEGRADED]: [KeyHealth.HEALTHY],
  [KeyHealth.HEALTHY]: [KeyHealth.DEGRADED],
};

/** The one place a runtime decision becomes a key's health: compare-and-set, audit and listeners together. */
export class KeyHealthService {
  private readonly listeners: KeyHealthListener[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly settings: KeyTestSettings,
  ) {}

  /** Registered by the composition root. */
  onChange(listener: KeyHealthListener): void {
    this.listeners.push(listener);
  }

  async applyDecision(decision: HealthDecision): Promise<FlipResult> {
    const result = await this.db.transaction((tx) => this.flipIn(tx, decision));
    if (!result.applied) return result;
    const failures: unknown[] = [];
    for (const listener of this.listeners) {
      try {
        await listener.afterCommit?.(result.key, result.change);
      } catch (error) {
        failures.push(error);
      }
    }
    // Every listener hears of the commit even if one fails; the failure is then the caller's to report.
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, 'health change listeners failed after commit');
    return result;
  }

  private async flipIn(tx: EntityManager, decision: HealthDecision): Promise<FlipResult> {
    const { keyId, secretVersion, to, reason } = decision;
    const key = await tx.getRepository(ProviderKey).findOne({ where: { id: keyId }, lock: { mode: 'pessimistic_write' } });
    if (!key) return { applied: false, why: 'missing' };
    if (key.secretVersion !== secretVersion) return { applied: false, why: 'older_secret' };
    // A test that finished after the counters decided knows better (and a passing one cleared them).
    if (key.lastTestedAt && key.lastTestedAt.getTime() > decision.decidedAt.getTime()) return { applied: false, why: 'tested_since' };
    if (key.health === to) return { applied: false, why: 'unchanged' };
    if (!ALLOWED_FROM[to].includes(key.health)) return { applied: false, why: 'not_allowed' };

    const from = key.health;
    const update = tx
      .createQueryBuilder()
      .update(ProviderKey)
      .set({ health: to })
      .where('id = :id AND secret_version = :secretVersion AND health = :from', { id: keyId, secretVersion, from });
    if (to === KeyHealth.UNHEALTHY) {
      // Due for a RECOVERY probe on the same backoff a failed test gets; an earlier due time stays.
      const due = new Date(Date.now() + recoveryDelayMs(key.consecutiveTestFailures + 1, this.settings.recoveryBackoffMaxMs));
      update.set({ health: to, nextTestAt: () => 'LEAST(next_test_at, :due)' }).setParameter('due', due);
    }
    const updated = await update.execute();
    if (!updated.affected) return { applied: false, why: 'unchanged' };

    const saved = await tx.getRepository(ProviderKey).findOneOrFail({ where: { id: keyId } });
    const change: HealthChange = { from, to, reason };
    await this.audit.record(tx, {
      workspaceId: key.workspaceId,
      actor: SYSTEM_WORKER,
      action: 'key.health_changed',
      targetType: 'provider_key',
      targetId: keyId,
      details: { from, to, reason, source: 'runtime', secretVersion, counts: { ...decision.counts } },
    });
    for (const listener of this.listeners) await listener.inTransaction?.(tx, saved, change);
    return { applied: true, key: saved, change };
  }
}
