import { randomBytes, randomUUID } from 'node:crypto';
import type { BenchEnv } from './bench-env';

export interface SeedKeysOptions {
  readonly workspaceIds: readonly string[];
  /** Built-in provider slug of every key. */
  readonly provider: string;
  readonly keysPerWorkspace: number;
  readonly endpoint: string;
  readonly testStatus?: 'UNTESTED' | 'PASSED' | 'FAILED';
  /** Sets next_test_at to now (due for the scheduler); null by default (nothing due). */
  readonly due?: boolean;
  /** The plaintext each key's secret seals (the fake provider accepts any by default). */
  readonly secret?: (index: number) => string;
}

/**
 * Provider keys written straight into the database, each with its own sealed secret (so the worker
 * can really decrypt it) and fingerprint, in chunks of a few thousand rows.
 */
export async function seedKeys(env: BenchEnv, options: SeedKeysOptions): Promise<string[]> {
  const providerId = await providerIdOf(env, options.provider);
  const ids: string[] = [];
  const rows: { id: string; workspaceId: string; secret: Buffer; fingerprint: Buffer; masked: string }[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    await env.pool.query(
      `INSERT INTO provider_keys (id, workspace_id, provider_id, endpoint, secret, fingerprint, masked_key, test_status, last_tested_at, next_test_at)
       SELECT id, ws, $1, $2, secret, fp, masked, $3::key_test_status,
              CASE WHEN $3 = 'UNTESTED' THEN NULL ELSE now() END, CASE WHEN $4 THEN now() ELSE NULL END
         FROM unnest($5::uuid[], $6::uuid[], $7::bytea[], $8::bytea[], $9::text[]) AS t(id, ws, secret, fp, masked)`,
      [
        providerId,
        options.endpoint,
        options.testStatus ?? 'PASSED',
        options.due ?? false,
        rows.map((r) => r.id),
        rows.map((r) => r.workspaceId),
        rows.map((r) => r.secret),
        rows.map((r) => r.fingerprint),
        rows.map((r) => r.masked),
      ],
    );
    rows.length = 0;
  };
  let index = 0;
  for (const workspaceId of options.workspaceIds) {
    for (let k = 0; k < options.keysPerWorkspace; k += 1) {
      const id = randomUUID();
      const plaintext = options.secret?.(index) ?? `sk-bench-${randomBytes(12).toString('hex')}`;
      rows.push({
        id,
        workspaceId,
        secret: env.vault.seal(plaintext, { workspaceId, keyId: id, secretVersion: 1 }),
        fingerprint: env.vault.fingerprint(providerId, plaintext),
        masked: `sk-…${plaintext.slice(-4)}`,
      });
      ids.push(id);
      index += 1;
      if (rows.length >= 5000) await flush();
    }
  }
  await flush();
  return ids;
}

/**
 * The picker's dataset for the given workspaces: each key of a provider lists `modelsPerKey`
 * models, the provider's catalog models first, then models private to the workspace (LISTED rows),
 * two thirds of them able to write. One INSERT ... SELECT per table, so a million rows take seconds.
 */
export async function seedListings(env: BenchEnv, workspaceIds: readonly string[], modelsPerKey: number): Promise<void> {
  for (let start = 0; start < workspaceIds.length; start += 100) {
    const chunk = workspaceIds.slice(start, start + 100);
    await env.pool.query(
      `INSERT INTO models (workspace_id, provider_id, model_id, display_name, capabilities, source)
       SELECT pk.workspace_id, pk.provider_id, 'bench-' || p.slug || '-' || n, 'Bench ' || p.slug || ' ' || lpad(n::text, 4, '0'),
              CASE WHEN n % 3 = 0 THEN '{REPLIES}'::model_capability[] ELSE '{WRITING,REPLIES}'::model_capability[] END, 'LISTED'
         FROM (SELECT DISTINCT workspace_id, provider_id FROM provider_keys WHERE workspace_id = ANY($1::uuid[])) pk
         JOIN providers p ON p.id = pk.provider_id
         CROSS JOIN LATERAL generate_series(1, greatest(0, $2::int - (SELECT count(*)::int FROM models c WHERE c.workspace_id IS NULL AND c.provider_id = pk.provider_id))) AS n`,
      [chunk, modelsPerKey],
    );
    await env.pool.query(
      `INSERT INTO key_models (key_id, model_record_id)
       SELECT k.id, m.id FROM provider_keys k
         JOIN models m ON m.provider_id = k.provider_id AND (m.workspace_id IS NULL OR m.workspace_id = k.workspace_id)
        WHERE k.workspace_id = ANY($1::uuid[])`,
      [chunk],
    );
  }
  await env.pool.query('ANALYZE');
}

export async function providerIdOf(env: BenchEnv, slug: string): Promise<string> {
  const { rows } = await env.pool.query<{ id: string }>('SELECT id FROM providers WHERE slug = $1 AND workspace_id IS NULL', [slug]);
  if (!rows[0]) throw new Error(`no built-in provider ${slug}`);
  return rows[0].id;
}
