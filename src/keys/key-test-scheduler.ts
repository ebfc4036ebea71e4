import type { DataSource } from 'typeorm';
import type { JobQueues, KeyTestJob } from '../jobs/queues';
import { KeyTestRun } from './key-test-run.entity';
import { jobFor } from './key-test-runs';

export interface SweepReport {
  readonly due: number;
  readonly enqueued: number;
}

/**
 * Finds keys whose next test is due and queues one run each, a batch per transaction. SKIP LOCKED
 * and clearing next_test_at in the same transaction mean that however many workers sweep at once,
 * each due key is picked by exactly one of them; enqueueing inside the transaction means a Redis
 * failure leaves the keys due for the next sweep instead of losing them.
 */
export async function sweepDueKeys(db: DataSource, queues: JobQueues, options: { batchSize?: number; maxBatches?: number } = {}): Promise<SweepReport> {
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 1000;
  let due = 0;
  let enqueued = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const count = await db.transaction(async (tx) => {
      const keys = (await tx.query(
        `WITH picked AS (
           SELECT id FROM provider_keys WHERE next_test_at <= now()
            ORDER BY next_test_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE provider_keys k SET next_test_at = NULL FROM picked WHERE k.id = picked.id
         RETURNING k.id, k.workspace_id, k.secret_version, k.test_status, k.health`,
        [batchSize],
      )) as [KeyRow[], number];
      const rows = keys[0];
      if (rows.length === 0) return 0;
      await tx.query(
        `INSERT INTO key_test_runs (key_id, workspace_id, secret_version, trigger)
         SELECT x.id, x.workspace_id, x.secret_version, x.trigger::test_trigger
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, workspace_id uuid, secret_version int, trigger text)
         ON CONFLICT (key_id, secret_version) WHERE finished_at IS NULL DO NOTHING`,
        [JSON.stringify(rows.map((r) => ({ ...r, trigger: triggerFor(r) })))],
      );
      // New runs and any run already open for these keys (its job may be the one that was lost).
      const runs = await tx
        .getRepository(KeyTestRun)
        .createQueryBuilder('r')
        .innerJoin('provider_keys', 'k', 'k.id = r.key_id AND k.secret_version = r.secret_version')
        .where('r.key_id IN (:...ids) AND r.finished_at IS NULL', { ids: rows.map((r) => r.id) })
        .getMany();
      await queues.enqueueKeyTests(runs.map(jobFor));
      enqueued += runs.length;
      return rows.length;
    });
    due += count;
    if (count < batchSize) break;
  }
  return { due, enqueued };
}

interface KeyRow {
  id: string;
  workspace_id: string;
  secret_version: number;
  test_status: string;
  health: string;
}

function triggerFor(row: KeyRow): string {
  return row.test_status === 'FAILED' || row.health === 'UNHEALTHY' ? 'RECOVERY' : 'SCHEDULED';
}

/**
 * Open runs whose job is gone (Redis lost it, or the process died between commit and enqueue, or
 * the job gave up before its run was visible) are queued again under the same id.
 */
export async function repairOrphanRuns(db: DataSource, queues: JobQueues, olderThanMs: number, limit = 1000): Promise<number> {
  const runs = await db
    .getRepository(KeyTestRun)
    .createQueryBuilder('r')
    .where('r.finished_at IS NULL AND r.started_at < :before', { before: new Date(Date.now() - olderThanMs) })
    .orderBy('r.started_at', 'ASC')
    .limit(limit)
    .getMany();
  const lost: KeyTestJob[] = [];
  for (const run of runs) {
    const job = await queues.keyTests.getJob(run.id);
    if (job) {
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
      await job.remove().catch(() => undefined);
    }
    lost.push(jobFor(run));
  }
  await queues.enqueueKeyTests(lost);
  return lost.length;
}
