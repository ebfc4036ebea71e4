import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Viewer } from '../auth/viewer';
import type { SelectionService } from '../selections/selection.service';
import { AppError, ErrorCode, badInput, notFound } from '../errors';
import { isUuid } from '../ids';
import type { Capability } from '../models/capability';
import { ModelRecord, ModelSource } from '../models/model.entity';
import { normalizeEndpoint } from './endpoint-validation';
import { Provider } from './provider.entity';
import type { CreateCustomProviderInput, ModelDeclarationInput } from './provider.inputs';
import { Protocol } from './protocol';

export const PROVIDER_NAME_MAX = 100;
export const DECLARED_MODELS_MAX = 500;
const MODEL_ID_MAX = 200;

export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'custom'
  );
}

interface Declaration {
  modelId: string;
  displayName: string;
  capabilities: Capability[];
}

function validateDeclarations(models: readonly ModelDeclarationInput[]): Declaration[] {
  if (models.length > DECLARED_MODELS_MAX) throw badInput(`A provider may declare at most ${DECLARED_MODELS_MAX} models.`, 'models');
  const seen = new Set<string>();
  return models.map((model, index) => {
    const modelId = model.modelId.trim();
    if (!modelId) throw badInput(`Model ${index + 1} has an empty modelId.`, 'models');
    if (modelId.length > MODEL_ID_MAX || !/^[\x21-\x7e]+$/.test(modelId)) {
      throw badInput(`Model id "${modelId.slice(0, 40)}" must be 1 to ${MODEL_ID_MAX} printable characters without spaces.`, 'models');
    }
    if (seen.has(modelId)) throw badInput(`Model "${modelId}" is declared twice.`, 'models');
    seen.add(modelId);
    const displayName = model.displayName?.trim() || modelId;
    if (displayName.length > MODEL_ID_MAX) throw badInput(`The display name of "${modelId}" is too long.`, 'models');
    return { modelId, displayName, capabilities: [...new Set(model.capabilities)] };
  });
}

export class ProviderService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly selections: SelectionService,
  ) {}

  /** Built-in rows first, then this workspace's own; never another workspace's. */
  listForWorkspace(workspaceId: string): Promise<Provider[]> {
    return this.db
      .getRepository(Provider)
      .createQueryBuilder('p')
      .where('p.workspace_id IS NULL OR p.workspace_id = :workspaceId', { workspaceId })
      .orderBy('p.workspace_id IS NULL', 'DESC')
      .addOrderBy('p.name', 'ASC')
      .getMany();
  }

  /** A provider the workspace may use, or null: another workspace's id answers like a missing one. */
  async findVisible(workspaceId: string, id: string, manager: EntityManager = this.db.manager): Promise<Provider | null> {
    if (!isUuid(id)) return null;
    return manager
      .getRepository(Provider)
      .createQueryBuilder('p')
      .where('p.id = :id AND (p.workspace_id IS NULL OR p.workspace_id = :workspaceId)', { id, workspaceId })
      .getOne();
  }

  async createCustom(viewer: Viewer, input: CreateCustomProviderInput): Promise<Provider> {
    const name = input.name.trim();
    if (!name) throw badInput('A provider needs a name.', 'name');
    if (name.length > PROVIDER_NAME_MAX) throw badInput(`A provider name may have at most ${PROVIDER_NAME_MAX} characters.`, 'name');
    if (!Object.values(Protocol).includes(input.protocol)) throw badInput('Unknown protocol.', 'protocol');
    const endpoint = normalizeEndpoint(input.endpoint);
    const declarations = validateDeclarations(input.models);
    const workspaceId = viewer.workspaceId;

    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(Provider);
      // Serialize custom-provider creation per workspace so the name and slug checks hold.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`providers:${workspaceId}`]);
      const existing = await repo
        .createQueryBuilder('p')
        .where('p.workspace_id IS NULL OR p.workspace_id = :workspaceId', { workspaceId })
        .getMany();
      if (existing.some((p) => !p.builtIn && p.name.toLowerCase() === name.toLowerCase())) {
        throw new AppError(ErrorCode.CONFLICT, `This workspace already has a provider named "${name}".`);
      }
      const taken = new Set(existing.map((p) => p.slug));
      const base = slugify(name);
      let slug = base;
      for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;

      const provider = await repo.save(repo.create({ workspaceId, slug, name, protocol: input.protocol, defaultEndpoint: endpoint }));
      if (declarations.length) {
        await tx.getRepository(ModelRecord).insert(
          declarations.map((d) => ({ ...d, workspaceId, providerId: provider.id, source: ModelSource.DECLARED })),
        );
      }
      await this.audit.record(tx, {
        workspaceId,
        actor: viewer.actor,
        action: 'provider.created',
        targetType: 'provider',
        targetId: provider.id,
        details: { name, slug, protocol: input.protocol, endpoint, models: declarations.map((d) => d.modelId) },
      });
      return provider;
    });
  }

  async deleteCustom(viewer: Viewer, id: string): Promise<boolean> {
    const workspaceId = viewer.workspaceId;
    return this.db.transaction(async (tx) => {
      const provider = await this.findVisible(workspaceId, id, tx);
      if (!provider) throw notFound('Provider', id);
      if (provider.builtIn) throw badInput(`${provider.name} is a built-in provider and cannot be deleted.`, 'id');
      await tx.query('SELECT id FROM providers WHERE id = $1 FOR UPDATE', [id]);
      const [{ count }] = (await tx.query('SELECT count(*)::int AS count FROM provider_keys WHERE provider_id = $1', [id])) as {
        count: number;
      }[];
      if (count > 0) {
        throw new AppError(
          ErrorCode.KEY_IN_USE,
          `${provider.name} still has ${count} key${count === 1 ? '' : 's'}. Delete ${count === 1 ? 'it' : 'them'} first.`,
          { keys: count },
        );
      }
      await tx.getRepository(Provider).delete({ id });
      await this.audit.record(tx, {
        workspaceId,
        actor: viewer.actor,
        action: 'provider.deleted',
        targetType: 'provider',
        targetId: id,
        details: { name: provider.name, slug: provider.slug },
      });
      // Its declared models went with it (and selections of them); fallbacks may have moved.
      await this.selections.reevaluate(tx, workspaceId, viewer.actor);
      return true;
    });
  }
}
