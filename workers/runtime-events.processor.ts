import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { In, type DataSource } from 'typeorm';
import { jobLogger } from '../src/jobs/job-logger';
import { type CooldownJob, type JobQueues, type RuntimeReport, RuntimeJobName, type RuntimeReportsJob } from '../src/jobs/queues';
import { KeyErrorCode } from '../src/keys/key-error-code';
import type { KeyHealthService } from '../src/keys/key-health.service';
import { KeyHealth } from '../src/keys/key-status';
import { ProviderKey } from '../src/keys/provider-key.entity';
import type { Logger } from '../src/logger';
import type { Metrics } from '../src/metrics/metrics';
import { classifyCallFailure } from '../src/providers/classify';
import type { CallKind, CountedCall, CounterTransition, RuntimeCounters } from '../src/runtime/runtime-counters';

/** Jobs are a Redis script and at most a short transaction per key: several at once keep up with bursts. */
export const RUNTIME_EVENTS_CONCURRENCY = 8;

export interface RuntimeEventsDeps {
  readonly db: DataSource;
  readonly counters: RuntimeCounters;
  readonly health: KeyHealthService;
  readonly queues: JobQueues;
  readonly metrics: Pick<Metrics, 'healthFlipped'>;
  readonly logger: Logger;
}

type KeyRow = Pick<ProviderKey, 'id' | 'workspaceId' | 'secretVersion' | 'rotatedAt'>;

/**
 * Counts runtime reports (job `reports`) and ends rate-limit cooldowns (job `cooldown`). Both are
 * safe to run again: the counters remember which job they counted, and a transition stays in Redis
 * until it is written to Postgres, so a retry finishes what a crash interrupted.
 */
export function createRuntimeEventsProcessor(deps: RuntimeEventsDeps) {
  const settle = async (key: Pick<KeyRow, 'id' | 'workspaceId'>, secretVersion: number, transition: CounterTransition): Promise<void> => {
    const flip = await deps.health.applyDecision({
      keyId: key.id,
      secretVersion,
      to: transition.to,
      reason: transition.reason,
      counts: { ...transition.counts },
      decidedAt: transition.decidedAt,
    });
    if (flip.applied) deps.metrics.healthFlipped(transition.to, transition.reason);
    if (transition.to === KeyHealth.DEGRADED) {
      const job: CooldownJob = { keyId: key.id, workspaceId: key.workspaceId, secretVersion, episode: transition.episode };
      await deps.queues.scheduleCooldown(job, transition.cooldownUntil - Date.now());
    }
    await deps.counters.settle(key.id, secretVersion, transition.id);
    deps.logger.info(
      { keyId: key.id, secretVersion, from: transition.from, to: transition.to, reason: transition.reason, ...transition.counts, applied: flip.applied, why: flip.applied ? undefined : flip.why },
      'runtime health decision',
    );
  };

  const countReports = async (job: Job<RuntimeReportsJob>): Promise<{ counted: number; ignored: number }> => {
    const { workspaceId, reports } = job.data;
    const keys = await deps.db.getRepository(ProviderKey).find({
      select: { id: true, workspaceId: true, secretVersion: true, rotatedAt: true },
      where: { workspaceId, id: In([...new Set(reports.map((report) => report.keyId))]) },
    });
    const byKey = new Map<string, { key: KeyRow; calls: CountedCall[] }>(keys.map((key) => [key.id, { key, calls: [] }]));
    let ignored = 0;
    for (const report of reports) {
      const entry = byKey.get(report.keyId);
      // A key deleted since, or a call made with an older secret: never the current key's health.
      if (!entry || !aboutCurrentSecret(report, entry.key)) ignored += 1;
      else entry.calls.push({ kind: kindOf(report), at: report.at });
    }
    let counted = 0;
    for (const { key, calls } of byKey.values()) {
      if (calls.length === 0) continue;
      const result = await deps.counters.apply(String(job.id), key.id, key.secretVersion, calls);
      if (result.counted) counted += calls.length;
      if (result.transition) await settle(key, key.secretVersion, result.transition);
    }
    jobLogger(deps.logger, job).debug({ counted, ignored }, 'runtime reports counted');
    return { counted, ignored };
  };

  const endCooldown = async (job: Job<CooldownJob>, token?: string): Promise<string> => {
    const { keyId, workspaceId, secretVersion, episode } = job.data;
    const result = await deps.counters.endCooldown(keyId, secretVersion, episode);
    if (result.transition) await settle({ id: keyId, workspaceId }, secretVersion, result.transition);
    if (result.waitUntil !== undefined) {
      // More 429s extended the cooldown: the same job waits again, in Redis, surviving restarts.
      await job.moveToDelayed(result.waitUntil, token);
      throw new DelayedError();
    }
    return 'ended';
  };

  return async (job: Job<RuntimeReportsJob | CooldownJob>, token?: string): Promise<unknown> => {
    if (job.name === RuntimeJobName.REPORTS) return countReports(job as Job<RuntimeReportsJob>);
    if (job.name === RuntimeJobName.COOLDOWN) return endCooldown(job as Job<CooldownJob>, token);
    throw new UnrecoverableError(`unknown runtime-events job "${job.name}"`);
  };
}

function aboutCurrentSecret(report: RuntimeReport, key: KeyRow): boolean {
  if (report.secretVersion !== undefined) return report.secretVersion === key.secretVersion;
  return !key.rotatedAt || report.at >= key.rotatedAt.getTime();
}

/** The same table as key tests (PROVIDERS.md), through classifyCallFailure. */
export function kindOf(report: RuntimeReport): CallKind {
  if (report.outcome === 'SUCCESS') return 'success';
  const failure = classifyCallFailure({ httpStatus: report.httpStatus, errorCode: report.errorCode, message: report.reason });
  switch (failure.kind) {
    case 'INVALID':
      return failure.code === KeyErrorCode.PERMISSION_DENIED ? 'permission_denied' : 'invalid_key';
    case 'QUOTA':
      return 'quota_exceeded';
    case 'RATE_LIMITED':
      return 'rate_limited';
    case 'TRANSIENT':
      return 'transient';
  }
}
