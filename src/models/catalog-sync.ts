import type { DataSource } from 'typeorm';
import { allCatalogModels } from './model-catalog';

/**
 * Writes the built-in catalog (code data) into the models table as shared rows, so queries can
 * join it like any other model. Idempotent; run by `npm run migrate` after the migrations.
 */
export async function syncCatalog(db: DataSource): Promise<number> {
  const rows = allCatalogModels().map((m) => ({ slug: m.providerSlug, model_id: m.modelId, display_name: m.displayName, caps: m.capabilities }));
  const result = (await db.query(
    `INSERT INTO models (workspace_id, provider_id, model_id, display_name, capabilities, source)
     SELECT NULL, p.id, x.model_id, x.display_name,
            ARRAY(SELECT jsonb_array_elements_text(x.caps))::model_capability[], 'CATALOG'
       FROM jsonb_to_recordset($1::jsonb) AS x(slug text, model_id text, display_name text, caps jsonb)
       JOIN providers p ON p.slug = x.slug AND p.workspace_id IS NULL
     ON CONFLICT (provider_id, model_id) WHERE workspace_id IS NULL
     DO UPDATE SET display_name = EXCLUDED.display_name, capabilities = EXCLUDED.capabilities
     RETURNING 1`,
    [JSON.stringify(rows)],
  )) as unknown[];
  return result.length;
}
