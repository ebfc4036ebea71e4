import type { EntityManager } from 'typeorm';
import type { Provider } from '../providers/provider.entity';
import type { Capability } from './capability';
import { capabilitiesFor, displayNameFor } from './model-capabilities';

/** A model as a key's listing named it (see providers/verify-outcome). */
export interface ListedModel {
  readonly modelId: string;
  readonly displayName?: string;
  readonly reportedCapabilities?: readonly Capability[];
}

/**
 * Replaces what a key unlocks with its latest listing. Built-in providers: every listed id, as the
 * shared catalog row when the catalog knows it, else as a row private to the workspace with the
 * capabilities the provider reported or the catalog's patterns infer. Custom providers: the declared
 * models the listing confirms (or, with nothing declared, everything listed). Set-based SQL: a few
 * statements whatever the size of the listing.
 */
export async function replaceKeyListing(
  tx: EntityManager,
  key: { id: string; workspaceId: string },
  provider: Provider,
  listed: readonly ListedModel[],
): Promise<{ count: number; changed: boolean }> {
  const before = (await tx.query('DELETE FROM key_models WHERE key_id = $1 RETURNING model_record_id', [key.id])) as [{ model_record_id: string }[], number];
  const previous = new Set(before[0].map((r) => r.model_record_id));
  const now = await linkListing(tx, key, provider, listed);
  const changed = now.length !== previous.size || now.some((id) => !previous.has(id));
  return { count: now.length, changed };
}

/** Inserts the key's listing and returns the model row ids it links. */
async function linkListing(tx: EntityManager, key: { id: string; workspaceId: string }, provider: Provider, listed: readonly ListedModel[]): Promise<string[]> {
  if (listed.length === 0) return [];
  const byId = new Map(listed.map((m) => [m.modelId, m]));
  const ids = [...byId.keys()];

  if (!provider.builtIn) {
    const declared = (await tx.query('SELECT count(*)::int AS n FROM models WHERE provider_id = $1 AND source = $2', [provider.id, 'DECLARED'])) as {
      n: number;
    }[];
    if (declared[0].n > 0) {
      const linked = (await tx.query(
        `INSERT INTO key_models (key_id, model_record_id)
         SELECT $1, m.id FROM models m WHERE m.provider_id = $2 AND m.source = 'DECLARED' AND m.model_id = ANY($3::text[])
         RETURNING model_record_id`,
        [key.id, provider.id, ids],
      )) as { model_record_id: string }[];
      return linked.map((r) => r.model_record_id);
    }
  }

  const slug = provider.builtIn ? provider.slug : undefined;
  const catalogIds = provider.builtIn
    ? new Set(
        ((await tx.query('SELECT model_id FROM models WHERE provider_id = $1 AND workspace_id IS NULL AND model_id = ANY($2::text[])', [provider.id, ids])) as {
          model_id: string;
        }[]).map((r) => r.model_id),
      )
    : new Set<string>();
  const unknown = [...byId.values()]
    .filter((m) => !catalogIds.has(m.modelId))
    .map((m) => ({
      model_id: m.modelId,
      display_name: displayNameFor({ providerSlug: slug, modelId: m.modelId, reportedDisplayName: m.displayName }).slice(0, 200),
      caps: capabilitiesFor({ providerSlug: slug, modelId: m.modelId, reportedCapabilities: m.reportedCapabilities }),
    }));
  if (unknown.length) {
    await tx.query(
      `INSERT INTO models (workspace_id, provider_id, model_id, display_name, capabilities, source)
       SELECT $1, $2, x.model_id, x.display_name, ARRAY(SELECT jsonb_array_elements_text(x.caps))::model_capability[], 'LISTED'
         FROM jsonb_to_recordset($3::jsonb) AS x(model_id text, display_name text, caps jsonb)
       ON CONFLICT (workspace_id, provider_id, model_id) WHERE workspace_id IS NOT NULL
       DO UPDATE SET display_name = EXCLUDED.display_name, capabilities = EXCLUDED.capabilities`,
      [key.workspaceId, provider.id, JSON.stringify(unknown)],
    );
  }
  const linked = (await tx.query(
    `INSERT INTO key_models (key_id, model_record_id)
     SELECT $1, m.id FROM models m
      WHERE m.provider_id = $2 AND m.model_id = ANY($4::text[])
        AND (m.workspace_id IS NULL OR (m.workspace_id = $3 AND NOT EXISTS (
              -- a model the catalog learned later wins over the workspace's own earlier row
              SELECT 1 FROM models c WHERE c.provider_id = m.provider_id AND c.model_id = m.model_id AND c.workspace_id IS NULL)))
     ON CONFLICT DO NOTHING
     RETURNING model_record_id`,
    [key.id, provider.id, key.workspaceId, ids],
  )) as { model_record_id: string }[];
  return linked.map((r) => r.model_record_id);
}
