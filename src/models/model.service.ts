import type { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorCode } from '../errors';
import { isUuid } from '../ids';
import type { KeyError } from '../keys/provider-key.entity';
import type { Capability } from './capability';
import { type ModelRow, queryModels, toViews } from './model-availability';
import { ModelLockReason } from './model-lock-reason';
import type { ModelView } from './model.types';

interface KeySummary {
  label: string | null;
  masked_key: string;
  test_status: string;
  health: string;
  last_error: KeyError | null;
}

export class ModelService {
  constructor(private readonly db: DataSource) {}

  /** The workspace's models, locked ones included when asked, each with why it is locked. */
  list(workspaceId: string, capability: Capability | null | undefined, includeLocked: boolean): Promise<ModelView[]> {
    return queryModels(this.db.manager, workspaceId, { capability, availableOnly: !includeLocked });
  }

  /** The honest picker: only models a tested, healthy key of this workspace unlocks. */
  available(workspaceId: string, capability?: Capability | null): Promise<ModelView[]> {
    return queryModels(this.db.manager, workspaceId, { capability, availableOnly: true });
  }

  /** Model rows visible to the workspace, by id; another workspace's rows answer like missing ones. */
  async byIds(workspaceId: string, ids: readonly string[], manager: EntityManager = this.db.manager): Promise<Map<string, ModelView>> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return new Map();
    const models = await queryModels(manager, workspaceId, { modelIds: valid });
    return new Map(models.map((m) => [m.id, m]));
  }

  /** For ProviderKey.unlockedModels: what each key unlocks now (nothing unless it is PASSED and not UNHEALTHY). */
  async unlockedByKeys(keyIds: readonly string[]): Promise<Map<string, ModelView[]>> {
    const rows = (await this.db.query(
      `SELECT km.key_id, m.id, m.provider_id, m.model_id, m.display_name, m.capabilities::text AS capabilities, NULL AS locked_reason
         FROM key_models km
         JOIN provider_keys k ON k.id = km.key_id AND k.test_status = 'PASSED' AND k.health <> 'UNHEALTHY'
         JOIN models m ON m.id = km.model_record_id
        WHERE km.key_id = ANY($1::uuid[])
        ORDER BY m.display_name, m.model_id`,
      [keyIds],
    )) as (ModelRow & { key_id: string })[];
    const byKey = new Map<string, ModelView[]>(keyIds.map((id) => [id, []]));
    const views = await toViews(this.db.manager, rows);
    rows.forEach((row, index) => byKey.get(row.key_id)!.push(views[index]));
    return byKey;
  }

  /** MODEL_LOCKED with a message that says which key to add or fix. */
  async lockedError(workspaceId: string, model: ModelView, manager: EntityManager = this.db.manager): Promise<AppError> {
    const [provider] = (await manager.query('SELECT name FROM providers WHERE id = $1', [model.providerId])) as { name: string }[];
    const keys = (await manager.query(
      `SELECT label, masked_key, test_status, health, last_error FROM provider_keys
        WHERE workspace_id = $1 AND provider_id = $2 ORDER BY created_at`,
      [workspaceId, model.providerId],
    )) as KeySummary[];
    const name = `"${model.modelId}"`;
    const describe = (k: KeySummary) => `${provider.name} key ${k.label ? `"${k.label}" ` : ''}(${k.masked_key})`;
    const pick = (status: string, health?: string) => keys.find((k) => k.test_status === status && (!health || k.health === health));
    const reason = model.lockedReason ?? ModelLockReason.NO_KEY;
    const messages: Record<ModelLockReason, () => string> = {
      [ModelLockReason.NO_KEY]: () => `${name} is locked: this workspace has no ${provider.name} key. Add one (addProviderKey); it unlocks its models once its test passes.`,
      [ModelLockReason.NOT_IN_KEY_LISTING]: () =>
        `${name} is locked: no ${provider.name} key of this workspace lists it. Add a key whose account can use ${name}.`,
      [ModelLockReason.KEY_UNHEALTHY]: () => {
        const key = pick('PASSED', 'UNHEALTHY');
        return `${name} is locked: the ${key ? describe(key) : `${provider.name} key`} is unhealthy${key?.last_error ? ` (${key.last_error.message})` : ''}. It is probed again automatically; fix or rotate it to unlock ${name}.`;
      },
      [ModelLockReason.KEY_UNTESTED]: () => {
        const key = pick('UNTESTED') ?? pick('TESTING');
        return `${name} is locked: the ${key ? describe(key) : `${provider.name} key`} has not passed its test yet. Wait for it, or run testProviderKey.`;
      },
      [ModelLockReason.KEY_FAILED]: () => {
        const key = pick('FAILED');
        return `${name} is locked: the ${key ? describe(key) : `${provider.name} key`} failed its test${key?.last_error ? ` (${key.last_error.message})` : ''}. Fix or rotate the key.`;
      },
    };
    return new AppError(ErrorCode.MODEL_LOCKED, messages[reason](), { modelId: model.id, lockedReason: reason });
  }
}
