import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Viewer } from '../auth/viewer';
import { AppError, ErrorCode, badInput, notFound } from '../errors';
import type { WorkspaceEvents } from '../events/workspace-events';
import { Capability } from '../models/capability';
import { queryModels } from '../models/model-availability';
import { ModelLockReason } from '../models/model-lock-reason';
import type { ModelService } from '../models/model.service';
import type { ModelView } from '../models/model.types';
import { ModelSelection } from './model-selection.entity';
import type { ModelSelectionView, ResolvedModel, SelectModelInput } from './model-selection.types';
import { SelectionStatus } from './selection-status';

export const FALLBACKS_MAX = 10;

const WHY: Record<ModelLockReason, string> = {
  [ModelLockReason.NO_KEY]: 'no key of its provider',
  [ModelLockReason.KEY_UNTESTED]: 'its key has not passed a test yet',
  [ModelLockReason.KEY_FAILED]: 'its key failed its test',
  [ModelLockReason.KEY_UNHEALTHY]: 'its key is unhealthy',
  [ModelLockReason.NOT_IN_KEY_LISTING]: 'no key lists it',
};

/** Where a selection stands given what is available: the first available of the chosen model and its fallbacks. */
export function evaluate(selection: ModelSelection, models: ReadonlyMap<string, ModelView>): ModelSelectionView | undefined {
  const model = models.get(selection.modelRecordId);
  if (!model) return undefined;
  const fallbacks = selection.fallbackModelIds.map((id) => models.get(id)).filter((m): m is ModelView => Boolean(m));
  const base = { purpose: selection.purpose, model, fallbacks };
  if (model.available) return { ...base, status: SelectionStatus.ACTIVE, effectiveModel: model, reason: null };
  const locked = `${model.modelId} is locked (${WHY[model.lockedReason ?? ModelLockReason.NO_KEY]})`;
  const stand = fallbacks.find((f) => f.available);
  if (stand) return { ...base, status: SelectionStatus.FALLBACK, effectiveModel: stand, reason: `${locked}; ${stand.modelId} stands in.` };
  return { ...base, status: SelectionStatus.BLOCKED, effectiveModel: null, reason: `${locked} and no fallback is available.` };
}

const chainOf = (s: ModelSelection): string[] => [s.modelRecordId, ...s.fallbackModelIds];

export class SelectionService {
  constructor(
    private readonly db: DataSource,
    private readonly models: ModelService,
    private readonly audit: AuditService,
    private readonly events: WorkspaceEvents,
  ) {}

  /** Every selection, evaluated against the keys as they are now (two statements, whatever the count). */
  async list(workspaceId: string, manager: EntityManager = this.db.manager): Promise<ModelSelectionView[]> {
    const selections = await manager.getRepository(ModelSelection).find({ where: { workspaceId }, order: { purpose: 'ASC' } });
    const models = await this.modelsFor(manager, workspaceId, selections);
    return selections.map((s) => evaluate(s, models)).filter((v): v is ModelSelectionView => Boolean(v));
  }

  async select(viewer: Viewer, input: SelectModelInput): Promise<ModelSelectionView> {
    const workspaceId = viewer.workspaceId;
    if (!Object.values(Capability).includes(input.purpose)) throw badInput('Unknown purpose.', 'purpose');
    const fallbackIds = input.fallbackModelIds ?? [];
    if (fallbackIds.length > FALLBACKS_MAX) throw badInput(`At most ${FALLBACKS_MAX} fallbacks.`, 'fallbackModelIds');
    if (new Set(fallbackIds).size !== fallbackIds.length) throw badInput('A fallback is listed twice.', 'fallbackModelIds');
    if (fallbackIds.includes(input.modelId)) throw badInput('The chosen model cannot also be its own fallback.', 'fallbackModelIds');

    return this.db.transaction(async (tx) => {
      const models = await this.models.byIds(workspaceId, [input.modelId, ...fallbackIds], tx);
      const model = models.get(input.modelId);
      if (!model) throw notFound('Model', input.modelId);
      for (const candidate of [input.modelId, ...fallbackIds]) {
        const found = models.get(candidate);
        if (!found) throw notFound('Model', candidate);
        if (!found.capabilities.includes(input.purpose)) {
          throw badInput(`${found.modelId} cannot be used for ${input.purpose} (it can do: ${found.capabilities.join(', ') || 'none of the six'}).`, candidate === input.modelId ? 'modelId' : 'fallbackModelIds');
        }
      }
      if (!model.available) throw await this.models.lockedError(workspaceId, model, tx);

      const [saved] = (await tx.query(
        `INSERT INTO model_selections (workspace_id, purpose, model_record_id, fallback_model_ids, status, effective_model_record_id, reason)
         VALUES ($1, $2, $3, $4::uuid[], 'ACTIVE', $3, NULL)
         ON CONFLICT (workspace_id, purpose) DO UPDATE SET model_record_id = EXCLUDED.model_record_id,
           fallback_model_ids = EXCLUDED.fallback_model_ids, status = 'ACTIVE',
           effective_model_record_id = EXCLUDED.model_record_id, reason = NULL, updated_at = now()
         RETURNING id`,
        [workspaceId, input.purpose, model.id, fallbackIds],
      )) as { id: string }[];
      const view: ModelSelectionView = {
        purpose: input.purpose,
        model,
        fallbacks: fallbackIds.map((id) => models.get(id)!),
        status: SelectionStatus.ACTIVE,
        effectiveModel: model,
        reason: null,
      };
      await this.audit.record(tx, {
        workspaceId,
        actor: viewer.actor,
        action: 'model.selected',
        targetType: 'model_selection',
        targetId: saved.id,
        details: { purpose: input.purpose, model: model.modelId, modelId: model.id, fallbacks: view.fallbacks.map((f) => f.modelId) },
      });
      this.events.selectionChanged(tx, workspaceId, view);
      return view;
    });
  }

  /**
   * For runtime callers: the model to call now and a key that unlocks it, or null when nothing is
   * selected for the purpose. Evaluated live, so it never returns an unhealthy or untested key.
   */
  async resolve(workspaceId: string, purpose: Capability): Promise<ResolvedModel | null> {
    const selection = await this.db.getRepository(ModelSelection).findOne({ where: { workspaceId, purpose } });
    if (!selection) return null;
    const view = evaluate(selection, await this.modelsFor(this.db.manager, workspaceId, [selection]));
    if (!view) return null;
    if (!view.effectiveModel) {
      throw new AppError(ErrorCode.MODEL_LOCKED, `The ${purpose} selection is blocked: ${view.reason}`, { purpose, lockedReason: view.model.lockedReason });
    }
    const [key] = (await this.db.query(
      `SELECT k.id, k.secret_version FROM provider_keys k JOIN key_models km ON km.key_id = k.id
        WHERE k.workspace_id = $1 AND km.model_record_id = $2 AND k.test_status = 'PASSED' AND k.health <> 'UNHEALTHY'
        ORDER BY (k.health = 'HEALTHY') DESC, k.last_tested_at DESC NULLS LAST, k.id LIMIT 1`,
      [workspaceId, view.effectiveModel.id],
    )) as { id: string; secret_version: number }[];
    if (!key) throw new AppError(ErrorCode.MODEL_LOCKED, `No usable key unlocks ${view.effectiveModel.modelId} right now.`, { purpose });
    return { model: view.effectiveModel, keyId: key.id, secretVersion: key.secret_version, viaFallback: view.status === SelectionStatus.FALLBACK };
  }

  /**
   * Re-evaluates the workspace's selections inside the transaction that changed its keys, records
   * and announces each one whose status or effective model moved, and says whether availability
   * may have changed. Call it from every change that can lock or unlock a model.
   */
  async reevaluate(tx: EntityManager, workspaceId: string, actor: string): Promise<ModelSelectionView[]> {
    this.events.availabilityChanged(tx, workspaceId);
    const selections = await tx
      .getRepository(ModelSelection)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.workspace_id = :workspaceId', { workspaceId })
      .getMany();
    if (selections.length === 0) return [];
    const models = await this.modelsFor(tx, workspaceId, selections);
    const changed: ModelSelectionView[] = [];
    for (const selection of selections) {
      const view = evaluate(selection, models);
      if (!view) continue;
      const effective = view.effectiveModel?.id ?? null;
      if (view.status === selection.status && effective === selection.effectiveModelRecordId) continue;
      await tx.query('UPDATE model_selections SET status = $2, effective_model_record_id = $3, reason = $4, updated_at = now() WHERE id = $1', [
        selection.id,
        view.status,
        effective,
        view.reason,
      ]);
      await this.audit.record(tx, {
        workspaceId,
        actor,
        action: 'selection.changed',
        targetType: 'model_selection',
        targetId: selection.id,
        details: { purpose: selection.purpose, from: selection.status, to: view.status, effectiveModel: view.effectiveModel?.modelId ?? null, reason: view.reason },
      });
      this.events.selectionChanged(tx, workspaceId, view);
      changed.push(view);
    }
    return changed;
  }

  private async modelsFor(manager: EntityManager, workspaceId: string, selections: readonly ModelSelection[]): Promise<Map<string, ModelView>> {
    const ids = [...new Set(selections.flatMap(chainOf))];
    if (ids.length === 0) return new Map();
    const models = await queryModels(manager, workspaceId, { modelIds: ids });
    return new Map(models.map((m) => [m.id, m]));
  }
}
