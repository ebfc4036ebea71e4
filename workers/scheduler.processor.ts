import type { DataSource } from 'typeorm';
import type { Config } from '../src/config';
import type { JobQueues } from '../src/jobs/queues';
import { repairOrphanRuns, sweepDueKeys } from '../src/keys/key-test-scheduler';
import type { Logger } from '../src/logger';

export const SWEEP_SCHEDULER_ID = 'key-test-sweep';

/**
 * One BullMQ job scheduler (an id, upserted by every worker at start, so there is one however many
 * workers run) produces a sweep job every SCHEDULER_INTERVAL_MS: queue due re-tests and recovery
 * probes in batches, then re-queue runs whose job was lost.
 */
export async function installSweepScheduler(queues: JobQueues, config: Config): Promise<void> {
  await queues.scheduler.upsertJobScheduler(
    SWEEP_SCHEDULER_ID,
    { every: config.keyTests.sweepIntervalMs },
    { name: 'sweep', opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
  );
}

export function createSweepProcessor(deps: { db: DataSource; queues: JobQueues; config: Config; logger: Logger }) {
  // A run open for longer than a job may be held (plus its retries) without a job behind it is lost.
  const orphanAfterMs = deps.config.keyTests.jobLockMs * 2 + deps.config.keyTests.timeoutMs * deps.config.keyTests.attempts;
  return async (): Promise<{ due: number; enqueued: number; repaired: number }> => {
    const swept = await sweepDueKeys(deps.db, deps.queues);
    const repaired = await repairOrphanRuns(deps.db, deps.queues, orphanAfterMs);
    if (swept.due || repaired) deps.logger.info({ ...swept, repaired }, 'scheduler sweep');
    return { ...swept, repaired };
  };
}
