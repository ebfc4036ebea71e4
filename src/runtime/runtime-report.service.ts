import type { DataSource } from 'typeorm';
import type { Viewer } from '../auth/viewer';
import { AppError, ErrorCode, badInput } from '../errors';
import { isUuid } from '../ids';
import type { JobQueues, RuntimeReport } from '../jobs/queues';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { shortReason } from '../providers/scrub';
import { CallOutcome, type ModelCallReport } from './model-call-report.inputs';

export const MAX_REPORTS_PER_CALL = 1000;
const MODEL_ID_MAX_LENGTH = 200;
const ERROR_CODE_MAX_LENGTH = 100;
/** Longer than any provider's error text; a caller sending more is sending something else. */
const MESSAGE_MAX_LENGTH = 4000;
/** Callers' clocks drift; a call further ahead than this did not happen yet. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * The api side of runtime health: checks each report, keeps those about this workspace's keys,
 * and hands them to the runtime-events queue in bulk. The worker counts them.
 */
export class RuntimeReportService {
  constructor(
    private readonly db: DataSource,
    private readonly queues: JobQueues,
    private readonly metrics: Pick<Metrics, 'runtimeReportsAccepted'>,
    private readonly logger: Logger,
  ) {}

  /** Returns how many reports were accepted; malformed ones and unknown or foreign keys are not. */
  async report(viewer: Viewer, reports: readonly ModelCallReport[]): Promise<number> {
    if (reports.length > MAX_REPORTS_PER_CALL) {
      throw badInput(`At most ${MAX_REPORTS_PER_CALL} reports per call (got ${reports.length}); send them in several calls.`, 'reports');
    }
    const now = Date.now();
    const wellFormed = reports.map((report) => normalizeReport(report, now)).filter((report) => report !== undefined);
    const versions = await this.currentVersions(viewer.workspaceId, wellFormed);
    const accepted = wellFormed.filter((report) => {
      const current = versions.get(report.keyId);
      return current !== undefined && (report.secretVersion === undefined || report.secretVersion <= current);
    });
    try {
      await this.queues.enqueueRuntimeReports(viewer.workspaceId, accepted);
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message }, reports: accepted.length }, 'runtime reports refused: queue unavailable');
      throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Runtime reports cannot be queued right now (the queue is unavailable). None were accepted; send them again shortly.');
    }
    const failures = accepted.filter((report) => report.outcome === CallOutcome.FAILURE).length;
    if (failures) this.metrics.runtimeReportsAccepted('FAILURE', failures);
    if (accepted.length - failures) this.metrics.runtimeReportsAccepted('SUCCESS', accepted.length - failures);
    if (accepted.length < reports.length) this.logger.debug({ received: reports.length, accepted: accepted.length }, 'runtime reports rejected');
    return accepted.length;
  }

  /** One query for the whole batch: the current secret version of each key that is this workspace's. */
  private async currentVersions(workspaceId: string, reports: readonly RuntimeReport[]): Promise<Map<string, number>> {
    const ids = [...new Set(reports.map((report) => report.keyId))];
    if (ids.length === 0) return new Map();
    const rows = (await this.db.query('SELECT id, secret_version FROM provider_keys WHERE workspace_id = $1 AND id = ANY($2::uuid[])', [
      workspaceId,
      ids,
    ])) as { id: string; secret_version: number }[];
    return new Map(rows.map((row) => [row.id, row.secret_version]));
  }
}

/** The report as the queue carries it, or undefined when it is malformed. The message never leaves here whole. */
function normalizeReport(report: ModelCallReport, now: number): RuntimeReport | undefined {
  if (typeof report.keyId !== 'string' || !isUuid(report.keyId)) return undefined;
  const status = report.httpStatus ?? undefined;
  if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599)) return undefined;
  // A success the provider answered with an error status is a contradiction, not a data point.
  if (report.outcome === CallOutcome.SUCCESS && status !== undefined && status >= 400) return undefined;
  if (report.outcome !== CallOutcome.SUCCESS && report.outcome !== CallOutcome.FAILURE) return undefined;
  if ((report.modelId?.length ?? 0) > MODEL_ID_MAX_LENGTH) return undefined;

  const errorCode = report.errorCode?.trim() || undefined;
  if (errorCode !== undefined && (errorCode.length > ERROR_CODE_MAX_LENGTH || !/^[\x20-\x7e]+$/.test(errorCode))) return undefined;
  if ((report.message?.length ?? 0) > MESSAGE_MAX_LENGTH) return undefined;
  const reason = report.message ? shortReason(report.message) || undefined : undefined;

  const at = report.at ? report.at.getTime() : now;
  if (!Number.isFinite(at) || at > now + MAX_CLOCK_SKEW_MS) return undefined;
  const secretVersion = report.secretVersion ?? undefined;
  if (secretVersion !== undefined && (!Number.isInteger(secretVersion) || secretVersion < 1)) return undefined;

  return {
    keyId: report.keyId.toLowerCase(),
    outcome: report.outcome,
    at,
    ...(secretVersion !== undefined ? { secretVersion } : {}),
    ...(status !== undefined ? { httpStatus: status } : {}),
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(reason !== undefined && report.outcome === CallOutcome.FAILURE ? { reason } : {}),
  };
}
