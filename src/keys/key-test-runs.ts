import type { EntityManager } from 'typeorm';
import type { KeyTestJob } from '../jobs/queues';
import { KeyTestRun } from './key-test-run.entity';
import { KeyHealth, KeyTestStatus } from './key-status';
import type { ProviderKey } from './provider-key.entity';
import { TestTrigger } from './test-trigger';

/**
 * Opens the run for a key's current secret version, or returns the one already open: concurrent
 * requests for one key and version share one run (and one job). The caller holds the key's row lock.
 */
export async function openRun(tx: EntityManager, key: ProviderKey, trigger: TestTrigger): Promise<{ run: KeyTestRun; created: boolean }> {
  const repo = tx.getRepository(KeyTestRun);
  const open = await repo
    .createQueryBuilder('r')
    .where('r.key_id = :keyId AND r.secret_version = :version AND r.finished_at IS NULL', { keyId: key.id, version: key.secretVersion })
    .getOne();
  if (open) return { run: open, created: false };
  const run = await repo.save(
    repo.create({ keyId: key.id, workspaceId: key.workspaceId, secretVersion: key.secretVersion, trigger, status: KeyTestStatus.TESTING }),
  );
  // A key with a run in flight is not due for the scheduler; the result sets the next time.
  await tx.query('UPDATE provider_keys SET next_test_at = NULL WHERE id = $1', [key.id]);
  return { run, created: true };
}

export const jobFor = (run: KeyTestRun): KeyTestJob => ({
  runId: run.id,
  keyId: run.keyId,
  workspaceId: run.workspaceId,
  secretVersion: run.secretVersion,
  trigger: run.trigger,
});

/** What the scheduler runs for a due key: a re-test while it works, a recovery probe while it does not. */
export function scheduledTrigger(key: Pick<ProviderKey, 'testStatus' | 'health'>): TestTrigger {
  return key.testStatus === KeyTestStatus.FAILED || key.health === KeyHealth.UNHEALTHY ? TestTrigger.RECOVERY : TestTrigger.SCHEDULED;
}
