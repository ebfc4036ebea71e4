import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in the caller's transaction when one is passed, else in a new one, so services can
 * be composed (the admin CLI creates a workspace and its first key atomically) and each still
 * writes its audit row in the same transaction as its change.
 */
export function inTransaction<T>(db: DataSource, outer: EntityManager | undefined, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (outer?.queryRunner?.isTransactionActive) return work(outer);
  return db.transaction(work);
}
