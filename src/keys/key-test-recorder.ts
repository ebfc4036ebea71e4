import type { DataSource, EntityManager } from 'typeorm';
import { type AuditService, SYSTEM_WORKER } from '../audit/audit.service';
import type { KeyTestSettings } from '../config';
import { replaceKeyListing } from '../models/key-listing';
import type { WorkspaceEvents } from '../events/workspace-events';
import { Provider } from '../providers/provider.entity';
import type { SelectionService } from '../selections/selection.service';
import type { VerifyOutcome } from '../providers/verify-key';
import { KeyErrorCode } from './key-error-code';
import { KeyTestRun } from './key-test-run.entity';
import { KeyHealth, KeyTestStatus } from './key-status';
import { type KeyError, ProviderKey } from './provider-key.entity';

/** Failures that say the key itself is bad: the key is UNHEALTHY at once. */
const KEY_IS_BAD = new Set([KeyErrorCode.INVALID_KEY, KeyErrorCode.PERMISSION_DENIED, KeyErrorCode.QUOTA_EXCEEDED]);
/** Failures that say nothing about the key: a key that passed keeps PASSED, and health counts them. */
const TRANSIENT = new Set([KeyErrorCode.PROVIDER_ERROR, KeyErrorCode.TIMEOUT, KeyErrorCode.NETWORK_ERROR]);
/** A rate-limited first test proves the key but not its listing: look again after this. */
const RATE_LIMITED_RETRY_MS = 60_000;
const RECOVERY_BACKOFF_START_MS = 60_000;

export interface TestContext {
  readonly run: KeyTestRun;
  readonly key: ProviderKey;
  readonly provider: Provider;
}

export type LoadResult =
  | { readonly kind: 'ready'; readonly context: TestContext }
  | { readonly kind: 'missing' }
  /** The key exists but its run is not visible: the transaction that opened it has not committed yet. */
  | { readonly kind: 'not-committed' }
  | { readonly kind: 'finished' }
  | { readonly kind: 'stale'; readonly run: KeyTestRun };

export interface RecordedResult {
  /** False when the result was for an older secret version (or the run was already finished). */
  readonly applied: boolean;
  readonly key?: ProviderKey;
  readonly healthChanged?: { from: KeyHealth; to: KeyHealth };
  readonly statusChanged?: { from: KeyTestStatus; to: KeyTestStatus };
}

export function recoveryDelayMs(consecutiveFailures: number, maxMs: number): number {
  return Math.min(RECOVERY_BACKOFF_START_MS * 2 ** Math.max(0, consecutiveFailures - 1), maxMs);
}

/**
 * Writes what a key test found. Every write is a compare-and-set on (key id, secret version): a
 * result for a secret that was rotated meanwhile is kept in the run history and never touches the
 * key. Runs finish once, so a job that is retried or taken over after a crash writes nothing twice.
 */
export class KeyTestRecorder {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly settings: KeyTestSettings,
    private readonly selections: SelectionService,
    private readonly events: WorkspaceEvents,
  ) {}

  async load(runId: string, keyId: string): Promise<LoadResult> {
    const run = await this.db.getRepository(KeyTestRun).findOne({ where: { id: runId } });
    if (!run) return (await this.db.getRepository(ProviderKey).existsBy({ id: keyId })) ? { kind: 'not-committed' } : { kind: 'missing' };
    if (run.finishedAt) return { kind: 'finished' };
    const key = await this.db.getRepository(ProviderKey).findOne({ where: { id: run.keyId } });
    if (!key) return { kind: 'missing' };
    if (key.secretVersion !== run.secretVersion) return { kind: 'stale', run };
    const provider = await this.db.getRepository(Provider).findOne({ where: { id: key.providerId } });
    if (!provider) return { kind: 'missing' };
    return { kind: 'ready', context: { run, key, provider } };
  }

  /** UNTESTED (or FAILED) → TESTING when the worker starts; a PASSED key keeps unlocking while re-tested. */
  async markTesting(run: KeyTestRun): Promise<ProviderKey | undefined> {
    const result = await this.db
      .createQueryBuilder()
      .update(ProviderKey)
      .set({ testStatus: KeyTestStatus.TESTING })
      .where('id = :id AND secret_version = :version AND test_status IN (:...from)', {
        id: run.keyId,
        version: run.secretVersion,
        from: [KeyTestStatus.UNTESTED, KeyTestStatus.FAILED],
      })
      .execute();
    if (!result.affected) return undefined;
    const key = await this.db.getRepository(ProviderKey).findOne({ where: { id: run.keyId } });
    if (key) this.events.keyChanged(this.db.manager, key);
    return key ?? undefined;
  }

  async noteAttempt(runId: string): Promise<void> {
    await this.db.query('UPDATE key_test_runs SET attempts = attempts + 1 WHERE id = $1 AND finished_at IS NULL', [runId]);
  }

  /** Closes a run whose secret was rotated before it could run: recorded, never applied. */
  async recordStale(run: KeyTestRun): Promise<void> {
    await this.db.transaction(async (tx) => {
      const finished = await this.finishRun(tx, run.id, { status: KeyTestStatus.FAILED, stale: true, error: null, latencyMs: null, modelsFound: null });
      if (!finished) return;
      await this.audit.record(tx, {
        workspaceId: run.workspaceId,
        actor: SYSTEM_WORKER,
        action: 'key.tested',
        targetType: 'provider_key',
        targetId: run.keyId,
        details: { runId: run.id, trigger: run.trigger, secretVersion: run.secretVersion, stale: true, applied: false },
      });
    });
  }

  /** Records a finished test (pass, rate limited, or a failure no retry will fix) for its run and key. */
  async record(context: TestContext, outcome: VerifyOutcome): Promise<RecordedResult> {
    const { run, provider } = context;
    const now = new Date();
    const failure = outcome.status === 'passed' ? undefined : outcome.failure;
    const error: KeyError | null = failure ? { code: failure.code, message: failure.message, httpStatus: failure.httpStatus ?? null, at: now } : null;
    const passed = outcome.status !== 'failed';

    return this.db.transaction(async (tx) => {
      const key = await tx.getRepository(ProviderKey).findOne({ where: { id: run.keyId }, lock: { mode: 'pessimistic_write' } });
      const stale = !key || key.secretVersion !== run.secretVersion;
      let modelsFound: number | null = null;
      let result: RecordedResult = { applied: false };
      if (key && !stale) {
        const before = { status: key.testStatus, health: key.health };
        let listingChanged = false;
        if (outcome.status === 'passed') {
          const listing = await replaceKeyListing(tx, key, provider, outcome.models);
          modelsFound = listing.count;
          listingChanged = listing.changed;
        }
        this.applyToKey(key, outcome, error, now);
        const saved = await tx.getRepository(ProviderKey).save(key);
        this.events.keyChanged(tx, saved);
        // Anything that can lock or unlock a model re-evaluates the selections in this transaction.
        if (listingChanged || before.status !== saved.testStatus || before.health !== saved.health) {
          await this.selections.reevaluate(tx, key.workspaceId, SYSTEM_WORKER);
        }
        result = {
          applied: true,
          key: saved,
          statusChanged: before.status !== saved.testStatus ? { from: before.status, to: saved.testStatus } : undefined,
          healthChanged: before.health !== saved.health ? { from: before.health, to: saved.health } : undefined,
        };
      }
      const finished = await this.finishRun(tx, run.id, {
        status: passed ? KeyTestStatus.PASSED : KeyTestStatus.FAILED,
        stale,
        error,
        latencyMs: outcome.latencyMs,
        modelsFound,
      });
      if (!finished) return { applied: false };
      await this.audit.record(tx, {
        workspaceId: run.workspaceId,
        actor: SYSTEM_WORKER,
        action: passed ? 'key.tested' : 'key.test_failed',
        targetType: 'provider_key',
        targetId: run.keyId,
        details: {
          runId: run.id,
          trigger: run.trigger,
          secretVersion: run.secretVersion,
          provider: provider.slug,
          result: outcome.status,
          code: failure?.code ?? null,
          httpStatus: failure?.httpStatus ?? null,
          modelsFound,
          latencyMs: outcome.latencyMs,
          stale,
          applied: result.applied,
        },
      });
      if (result.healthChanged && result.key) {
        await this.audit.record(tx, {
          workspaceId: run.workspaceId,
          actor: SYSTEM_WORKER,
          action: 'key.health_changed',
          targetType: 'provider_key',
          targetId: run.keyId,
          details: { from: result.healthChanged.from, to: result.healthChanged.to, reason: `test ${outcome.status}`, code: failure?.code ?? null, runId: run.id },
        });
      }
      return result;
    });
  }

  private applyToKey(key: ProviderKey, outcome: VerifyOutcome, error: KeyError | null, now: Date): void {
    key.lastTestedAt = now;
    if (outcome.status === 'passed' || outcome.status === 'rate_limited') {
      key.testStatus = KeyTestStatus.PASSED;
      key.lastError = null;
      key.consecutiveTestFailures = 0;
      key.health = outcome.status === 'passed' ? KeyHealth.HEALTHY : KeyHealth.DEGRADED;
      const listingUnknown = outcome.status === 'rate_limited';
      key.nextTestAt = new Date(now.getTime() + (listingUnknown ? RATE_LIMITED_RETRY_MS : this.settings.retestIntervalMs));
      return;
    }
    const code = outcome.failure.code;
    key.lastError = error;
    key.consecutiveTestFailures += 1;
    key.nextTestAt = new Date(now.getTime() + recoveryDelayMs(key.consecutiveTestFailures, this.settings.recoveryBackoffMaxMs));
    if (KEY_IS_BAD.has(code)) {
      key.testStatus = KeyTestStatus.FAILED;
      key.health = KeyHealth.UNHEALTHY;
    } else if (TRANSIENT.has(code) && key.testStatus === KeyTestStatus.PASSED) {
      // The provider was down, not the key: it keeps unlocking; runtime health decides the rest.
    } else {
      key.testStatus = KeyTestStatus.FAILED;
    }
  }

  private async finishRun(
    tx: EntityManager,
    runId: string,
    fields: { status: KeyTestStatus; stale: boolean; error: KeyError | null; latencyMs: number | null; modelsFound: number | null },
  ): Promise<boolean> {
    const result = await tx
      .createQueryBuilder()
      .update(KeyTestRun)
      .set({ ...fields, finishedAt: () => 'now()', attempts: () => 'attempts + 1' })
      .where('id = :runId AND finished_at IS NULL', { runId })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
