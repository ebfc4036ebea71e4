import { type EntityManager, In } from 'typeorm';
import { Provider } from '../providers/provider.entity';
import type { Capability } from './capability';
import { ModelLockReason } from './model-lock-reason';
import type { ModelView } from './model.types';

export interface AvailabilityFilter {
  readonly capability?: Capability | null;
  /** Only models some usable key unlocks (the picker). */
  readonly availableOnly?: boolean;
  /** Only these model rows (selections). */
  readonly modelIds?: readonly string[];
  /** Only these providers (Provider.models). */
  readonly providerIds?: readonly string[];
}

export interface ModelRow {
  id: string;
  provider_id: string;
  model_id: string;
  display_name: string;
  capabilities: string;
  locked_reason: ModelLockReason | null;
}

/**
 * The one query behind the picker, the model list, selections and Provider.models. A key unlocks
 * a model when it PASSED its test (which rotation resets, so the pass is for the current secret),
 * is not UNHEALTHY, and listed the model. Everything is one statement, whatever the number of keys
 * or models: the keys of the workspace, the models their listings unlock, and per provider the most
 * hopeful state of its keys, for the reason a locked model shows.
 */
export async function queryModels(manager: EntityManager, workspaceId: string, filter: AvailabilityFilter = {}): Promise<ModelView[]> {
  const params: unknown[] = [workspaceId, filter.capability ?? null];
  const where: string[] = [];
  if (filter.modelIds) {
    params.push(filter.modelIds);
    where.push(`m.id = ANY($${params.length}::uuid[])`);
  }
  if (filter.providerIds) {
    params.push(filter.providerIds);
    where.push(`m.provider_id = ANY($${params.length}::uuid[])`);
  }
  const source = filter.availableOnly
    ? 'unlocked u JOIN models m ON m.id = u.id'
    : `models m LEFT JOIN unlocked u ON u.id = m.id`;
  const rows = (await manager.query(
    `WITH keys AS (
       SELECT id, provider_id, test_status, health FROM provider_keys WHERE workspace_id = $1
     ), unlocked AS (
       SELECT DISTINCT km.model_record_id AS id
         FROM key_models km JOIN keys k ON k.id = km.key_id
        WHERE k.test_status = 'PASSED' AND k.health <> 'UNHEALTHY'
     ), key_state AS (
       SELECT provider_id,
              bool_or(test_status = 'PASSED' AND health <> 'UNHEALTHY') AS usable,
              bool_or(test_status = 'PASSED' AND health = 'UNHEALTHY') AS unhealthy,
              bool_or(test_status IN ('UNTESTED', 'TESTING')) AS untested,
              bool_or(test_status = 'FAILED') AS failed
         FROM keys GROUP BY provider_id
     )
     SELECT m.id, m.provider_id, m.model_id, m.display_name, m.capabilities::text AS capabilities,
            CASE WHEN u.id IS NOT NULL THEN NULL
                 WHEN s.usable THEN 'NOT_IN_KEY_LISTING'
                 WHEN s.unhealthy THEN 'KEY_UNHEALTHY'
                 WHEN s.untested THEN 'KEY_UNTESTED'
                 WHEN s.failed THEN 'KEY_FAILED'
                 ELSE 'NO_KEY' END AS locked_reason
       FROM ${source}
       JOIN providers p ON p.id = m.provider_id
       LEFT JOIN key_state s ON s.provider_id = m.provider_id
      WHERE (m.workspace_id IS NULL OR m.workspace_id = $1)
        AND ($2::text IS NULL OR $2::model_capability = ANY(m.capabilities))
        -- a workspace's own row for a model the catalog learned later is shadowed by the catalog's
        AND NOT (m.workspace_id IS NOT NULL AND m.source = 'LISTED' AND EXISTS (
              SELECT 1 FROM models c WHERE c.workspace_id IS NULL AND c.provider_id = m.provider_id AND c.model_id = m.model_id))
        ${where.map((w) => `AND ${w}`).join(' ')}
      ORDER BY p.name, m.display_name, m.model_id`,
    params,
  )) as ModelRow[];
  return toViews(manager, rows);
}

/**
 * Rows to views. The few providers behind them are read in one more statement and shared, so a
 * list of models costs no lookup per model and no provider columns on every row.
 */
export async function toViews(manager: EntityManager, rows: readonly ModelRow[]): Promise<ModelView[]> {
  const ids = [...new Set(rows.map((row) => row.provider_id))];
  const providers = ids.length ? await manager.getRepository(Provider).findBy({ id: In(ids) }) : [];
  const byId = new Map(providers.map((provider) => [provider.id, provider]));
  return rows.map((row) => ({
    id: row.id,
    providerId: row.provider_id,
    provider: byId.get(row.provider_id)!,
    modelId: row.model_id,
    displayName: row.display_name,
    capabilities: parseArray(row.capabilities) as Capability[],
    available: row.locked_reason === null,
    lockedReason: row.locked_reason,
  }));
}

/** Postgres prints an enum array as `{A,B}`; the labels never contain commas or quotes. */
function parseArray(text: string): string[] {
  const inner = text.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}
