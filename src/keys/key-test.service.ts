import type { DataSource } from 'typeorm';
import type { Viewer } from '../auth/viewer';
import { AppError, ErrorCode, badInput, notFound } from '../errors';
import { isUuid } from '../ids';
import type { JobQueues } from '../jobs/queues';
import type { Logger } from '../logger';
import { KeyTestRun } from './key-test-run.entity';
import { jobFor, openRun } from './key-test-runs';
import { ProviderKey } from './provider-key.entity';
import type { KeyLifecycleListener, ProviderKeyService, SecretChange } from './provider-key.service';
import { TestTrigger } from './test-trigger';

export const TEST_RUNS_PAGE_MAX = 100;

/**
 * The api side of key tests: opens runs and hands their ids to the key-tests queue. The worker
 * does the testing; this never sees a plaintext key.
 */
export class KeyTestService implements KeyLifecycleListener {
  constructor(
    private readonly db: DataSource,
    private readonly queues: JobQueues,
    private readonly keys: ProviderKeyService,
    private readonly logger: Logger,
  ) {}

  /**
   * A MANUAL test. Enqueued inside the transaction, so when Redis is down nothing changes and the
   * caller hears SERVICE_UNAVAILABLE at once; concurrent callers share one run.
   */
  async requestManual(viewer: Viewer, keyId: string): Promise<KeyTestRun> {
    const workspaceId = viewer.workspaceId;
    return this.db.transaction(async (tx) => {
      const key = isUuid(keyId)
        ? await tx.getRepository(ProviderKey).findOne({ where: { id: keyId, workspaceId }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!key) throw notFound('Provider key', keyId);
      const { run } = await openRun(tx, key, TestTrigger.MANUAL);
      // Re-adding a run that is already queued is a no-op; for an open run it repairs a lost job.
      await this.queues.enqueueKeyTests([jobFor(run)]).catch((error: unknown) => {
        this.logger.warn({ err: { message: (error as Error).message }, keyId }, 'manual test refused: queue unavailable');
        throw new AppError(
          ErrorCode.SERVICE_UNAVAILABLE,
          'Key tests cannot be queued right now (the queue is unavailable). Nothing was changed; try again shortly.',
        );
      });
      return run;
    });
  }

  /**
   * After a key was created or rotated. The key row already carries next_test_at, so if this
   * process dies or Redis is away right now, the scheduler starts the test instead: nothing is lost.
   */
  async secretStored(key: ProviderKey, change: SecretChange): Promise<void> {
    const trigger = change === 'CREATED' ? TestTrigger.CREATED : TestTrigger.ROTATED;
    try {
      const run = await this.db.transaction(async (tx) => {
        const locked = await tx.getRepository(ProviderKey).findOne({ where: { id: key.id }, lock: { mode: 'pessimistic_write' } });
        if (!locked || locked.secretVersion !== key.secretVersion) return undefined;
        const opened = await openRun(tx, locked, trigger);
        await this.queues.enqueueKeyTests([jobFor(opened.run)]);
        return opened.run;
      });
      if (run) this.logger.debug({ keyId: key.id, runId: run.id, trigger }, 'key test queued');
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message }, keyId: key.id, trigger }, 'key test not queued now; the scheduler will start it');
    }
  }

  async listRuns(workspaceId: string, keyId: string, first: number): Promise<KeyTestRun[]> {
    if (!Number.isInteger(first) || first < 1 || first > TEST_RUNS_PAGE_MAX) {
      throw badInput(`"first" must be between 1 and ${TEST_RUNS_PAGE_MAX}.`, 'first');
    }
    await this.keys.get(workspaceId, keyId);
    return this.db.getRepository(KeyTestRun).find({
      where: { keyId, workspaceId },
      order: { startedAt: 'DESC', id: 'DESC' },
      take: first,
    });
  }
}
