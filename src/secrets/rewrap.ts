import type { DataSource } from 'typeorm';
import { type Vault, VaultError, keyringVersionOf } from './vault';

export interface RewrapReport {
  /** Re-encrypted under the current keyring version in this run. */
  rewrapped: number;
  /** Already under the current version. */
  current: number;
  /** Could not be opened (version missing from the keyring, or altered); ids and reasons, never secrets. */
  failed: { id: string; reason: string }[];
}

interface Row {
  id: string;
  workspace_id: string;
  provider_id: string;
  secret_version: number;
  secret: Buffer;
}

/**
 * Re-encrypts every provider key under the first keyring entry, a batch per transaction, walking
 * ids in order. Each batch commits on its own, so an interrupted run loses nothing and a second
 * run only touches what is left. Rows are locked while rewrapped, so a concurrent rotation wins
 * cleanly (it is re-read here, or it writes after us).
 */
export async function rewrapSecrets(
  db: DataSource,
  vault: Vault,
  options: { batchSize?: number; onBatch?: (report: RewrapReport) => void } = {},
): Promise<RewrapReport> {
  const batchSize = options.batchSize ?? 200;
  const report: RewrapReport = { rewrapped: 0, current: 0, failed: [] };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const last = await db.transaction(async (tx) => {
      const rows = (await tx.query(
        `SELECT id, workspace_id, provider_id, secret_version, secret FROM provider_keys
          WHERE id > $1 ORDER BY id LIMIT $2 FOR UPDATE`,
        [after, batchSize],
      )) as Row[];
      for (const row of rows) {
        try {
          if (!vault.needsRewrap(row.secret)) {
            report.current += 1;
            continue;
          }
          const binding = { workspaceId: row.workspace_id, keyId: row.id, secretVersion: row.secret_version };
          const plaintext = vault.open(row.secret, binding);
          await tx.query('UPDATE provider_keys SET secret = $2, fingerprint = $3 WHERE id = $1', [
            row.id,
            vault.seal(plaintext, binding),
            vault.fingerprint(row.provider_id, plaintext),
          ]);
          report.rewrapped += 1;
        } catch (error) {
          if (!(error instanceof VaultError)) throw error;
          report.failed.push({ id: row.id, reason: error.message });
        }
      }
      return rows.at(-1)?.id;
    });
    options.onBatch?.(report);
    if (!last) return report;
    after = last;
  }
}

/** How many secrets are sealed under each keyring version (for the operator's report). */
export async function secretsByKeyringVersion(db: DataSource): Promise<Map<number, number>> {
  const rows = (await db.query('SELECT secret FROM provider_keys')) as { secret: Buffer }[];
  const counts = new Map<number, number>();
  for (const { secret } of rows) {
    const version = keyringVersionOf(secret);
    counts.set(version, (counts.get(version) ?? 0) + 1);
  }
  return counts;
}
