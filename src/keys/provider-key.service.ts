import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Viewer } from '../auth/viewer';
import { AppError, ErrorCode, badInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { normalizeEndpoint } from '../providers/endpoint-validation';
import type { Provider } from '../providers/provider.entity';
import type { ProviderService } from '../providers/provider.service';
import { maskSecret } from '../secrets/mask';
import type { Vault } from '../secrets/vault';
import type { SelectionService } from '../selections/selection.service';
import type { WorkspaceEvents } from '../events/workspace-events';
import { KeyHealth, KeyTestStatus } from './key-status';
import { normalizeApiKey, normalizeLabel } from './key-validation';
import type { AddProviderKeyInput } from './provider-key.inputs';
import { ProviderKey } from './provider-key.entity';

export interface UpdateProviderKeyInput {
  /** undefined leaves the label alone; null or blank clears it. */
  readonly label?: string | null;
  readonly endpoint?: string | null;
  readonly apiKey?: string | null;
}

/** What changed about a key's secret, for whoever reacts after the commit (tests, events). */
export type SecretChange = 'CREATED' | 'ROTATED';

export interface KeyLifecycleListener {
  /** Called after the transaction that stored a new secret committed. */
  secretStored?(key: ProviderKey, change: SecretChange): Promise<void> | void;
  /** Called after the transaction that deleted the key committed. */
  keyDeleted?(key: ProviderKey): Promise<void> | void;
}

const UNIQUE_VIOLATION = '23505';

/**
 * A new secret is due for the scheduler this soon, written in the same transaction as the secret:
 * the test normally starts at once after the commit, and if that is lost, the scheduler starts it.
 */
export const NEW_SECRET_TEST_GRACE_MS = 30_000;
const dueSoon = (): Date => new Date(Date.now() + NEW_SECRET_TEST_GRACE_MS);

export class ProviderKeyService {
  private readonly listeners: KeyLifecycleListener[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly vault: Vault,
    private readonly audit: AuditService,
    private readonly providers: ProviderService,
    private readonly selections: SelectionService,
    private readonly events: WorkspaceEvents,
  ) {}

  onLifecycle(listener: KeyLifecycleListener): void {
    this.listeners.push(listener);
  }

  /** The settings table: one row per key, oldest first so rows do not jump around. */
  list(workspaceId: string): Promise<ProviderKey[]> {
    return this.db.getRepository(ProviderKey).find({ where: { workspaceId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async find(workspaceId: string, id: string, manager: EntityManager = this.db.manager): Promise<ProviderKey | null> {
    if (!isUuid(id)) return null;
    return manager.getRepository(ProviderKey).findOne({ where: { id, workspaceId } });
  }

  async get(workspaceId: string, id: string): Promise<ProviderKey> {
    const key = await this.find(workspaceId, id);
    if (!key) throw notFound('Provider key', id);
    return key;
  }

  async add(viewer: Viewer, input: AddProviderKeyInput): Promise<ProviderKey> {
    const workspaceId = viewer.workspaceId;
    const provider = await this.providers.findVisible(workspaceId, input.providerId);
    if (!provider) throw badInput(`Provider ${input.providerId} was not found. Pick one from the providers query.`, 'providerId');
    const secret = normalizeApiKey(input.apiKey);
    const endpoint = this.endpointFor(provider, input.endpoint);
    const label = normalizeLabel(input.label);

    const key = await this.writing(() =>
      this.db.transaction(async (tx) => {
        await this.refuseDuplicate(tx, workspaceId, provider, secret);
        const id = randomUUID();
        const entity = tx.getRepository(ProviderKey).create({
          id,
          workspaceId,
          providerId: provider.id,
          label,
          endpoint,
          secretVersion: 1,
          secret: this.vault.seal(secret, { workspaceId, keyId: id, secretVersion: 1 }),
          fingerprint: this.vault.fingerprint(provider.id, secret),
          maskedKey: maskSecret(secret),
          testStatus: KeyTestStatus.UNTESTED,
          health: KeyHealth.HEALTHY,
          lastError: null,
          lastTestedAt: null,
          rotatedAt: null,
          nextTestAt: dueSoon(),
          consecutiveTestFailures: 0,
        });
        const saved = await tx.getRepository(ProviderKey).save(entity);
        await this.audit.record(tx, {
          workspaceId,
          actor: viewer.actor,
          action: 'key.created',
          targetType: 'provider_key',
          targetId: id,
          details: { provider: provider.slug, label, endpoint, maskedKey: saved.maskedKey },
        });
        this.events.keyChanged(tx, saved);
        return saved;
      }),
    );
    await this.notify((l) => l.secretStored?.(key, 'CREATED'));
    return key;
  }

  rotate(viewer: Viewer, id: string, apiKey: string): Promise<ProviderKey> {
    return this.update(viewer, id, { apiKey });
  }

  /**
   * Label changes apply as they are. A new apiKey rotates: new ciphertext, secretVersion + 1,
   * UNTESTED again. A new endpoint needs the key re-entered in the same call, so a stored key is
   * never sent to a host it was not typed in for.
   */
  async update(viewer: Viewer, id: string, input: UpdateProviderKeyInput): Promise<ProviderKey> {
    const workspaceId = viewer.workspaceId;
    const secret = input.apiKey === undefined || input.apiKey === null ? undefined : normalizeApiKey(input.apiKey);
    const label = input.label === undefined ? undefined : normalizeLabel(input.label);

    const result = await this.writing(() =>
      this.db.transaction(async (tx) => {
        const key = await tx
          .getRepository(ProviderKey)
          .findOne({ where: { id: isUuid(id) ? id : randomUUID(), workspaceId }, lock: { mode: 'pessimistic_write' } });
        if (!key) throw notFound('Provider key', id);
        const provider = await this.providers.findVisible(workspaceId, key.providerId, tx);
        if (!provider) throw notFound('Provider key', id);

        const endpoint = input.endpoint === undefined || input.endpoint === null ? key.endpoint : normalizeEndpoint(input.endpoint);
        const endpointChanged = endpoint !== key.endpoint;
        if (endpointChanged && secret === undefined) {
          throw badInput(
            'Changing the endpoint requires re-entering the key (apiKey) in the same call, so a stored key is never sent to a new host.',
            'apiKey',
          );
        }
        const changes: Record<string, unknown> = {};
        if (label !== undefined && label !== key.label) {
          changes.label = { from: key.label, to: label };
          key.label = label;
        }
        if (endpointChanged) {
          changes.endpoint = { from: key.endpoint, to: endpoint };
          key.endpoint = endpoint;
        }
        let rotated = false;
        if (secret !== undefined) {
          await this.refuseDuplicate(tx, workspaceId, provider, secret, key.id);
          const secretVersion = key.secretVersion + 1;
          changes.maskedKey = { from: key.maskedKey, to: maskSecret(secret) };
          Object.assign(key, {
            secretVersion,
            secret: this.vault.seal(secret, { workspaceId, keyId: key.id, secretVersion }),
            fingerprint: this.vault.fingerprint(provider.id, secret),
            maskedKey: maskSecret(secret),
            testStatus: KeyTestStatus.UNTESTED,
            lastError: null,
            rotatedAt: new Date(),
            nextTestAt: dueSoon(),
            consecutiveTestFailures: 0,
          });
          rotated = true;
        }
        if (Object.keys(changes).length === 0) return { key, rotated };
        const saved = await tx.getRepository(ProviderKey).save(key);
        await this.audit.record(tx, {
          workspaceId,
          actor: viewer.actor,
          action: rotated ? 'key.rotated' : 'key.updated',
          targetType: 'provider_key',
          targetId: key.id,
          details: { provider: provider.slug, secretVersion: saved.secretVersion, ...changes },
        });
        this.events.keyChanged(tx, saved);
        // A new secret is UNTESTED: what the old one unlocked is locked until the new one passes.
        if (rotated) await this.selections.reevaluate(tx, workspaceId, viewer.actor);
        return { key: saved, rotated };
      }),
    );
    if (result.rotated) await this.notify((l) => l.secretStored?.(result.key, 'ROTATED'));
    return result.key;
  }

  /** Deletes the row, and with it the ciphertext; the audit trail keeps id, provider, label and mask. */
  async delete(viewer: Viewer, id: string): Promise<boolean> {
    const workspaceId = viewer.workspaceId;
    const deleted = await this.db.transaction(async (tx) => {
      const key = await this.find(workspaceId, id, tx);
      if (!key) throw notFound('Provider key', id);
      const provider = await this.providers.findVisible(workspaceId, key.providerId, tx);
      const removed = await tx.getRepository(ProviderKey).delete({ id: key.id, workspaceId });
      if (!removed.affected) throw notFound('Provider key', id);
      await this.audit.record(tx, {
        workspaceId,
        actor: viewer.actor,
        action: 'key.deleted',
        targetType: 'provider_key',
        targetId: key.id,
        details: { provider: provider?.slug ?? null, label: key.label, maskedKey: key.maskedKey, endpoint: key.endpoint },
      });
      this.events.keyChanged(tx, key, { deleted: true });
      await this.selections.reevaluate(tx, workspaceId, viewer.actor);
      return key;
    });
    await this.notify((l) => l.keyDeleted?.(deleted));
    return true;
  }

  private endpointFor(provider: Provider, requested: string | null | undefined): string {
    if (requested !== undefined && requested !== null && requested.trim() !== '') return normalizeEndpoint(requested);
    if (provider.defaultEndpoint) return provider.defaultEndpoint;
    throw badInput(`${provider.name} has no default endpoint; give the endpoint of your deployment.`, 'endpoint');
  }

  private async refuseDuplicate(tx: EntityManager, workspaceId: string, provider: Provider, secret: string, exceptId?: string): Promise<void> {
    const candidates = this.vault.fingerprintCandidates(provider.id, secret);
    const rows = (await tx.query(
      `SELECT id, label, masked_key FROM provider_keys
        WHERE workspace_id = $1 AND provider_id = $2 AND fingerprint = ANY($3::bytea[]) AND id <> $4 LIMIT 1`,
      [workspaceId, provider.id, candidates, exceptId ?? '00000000-0000-0000-0000-000000000000'],
    )) as { id: string; label: string | null; masked_key: string }[];
    if (rows.length) throw duplicate(provider, rows[0]);
  }

  /** A concurrent add of the same secret can pass the check; the unique index catches it. */
  private async writing<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const failure = error as { code?: string; constraint?: string };
      if (failure.code === UNIQUE_VIOLATION && failure.constraint === 'provider_keys_fingerprint') {
        throw new AppError(ErrorCode.DUPLICATE_KEY, 'This key is already stored in this workspace for this provider.');
      }
      throw error;
    }
  }

  private async notify(call: (listener: KeyLifecycleListener) => Promise<void> | void): Promise<void> {
    for (const listener of this.listeners) await call(listener);
  }
}

function duplicate(provider: Provider, existing: { id: string; label: string | null; masked_key: string }): AppError {
  const name = existing.label ? `"${existing.label}" (${existing.masked_key})` : existing.masked_key;
  return new AppError(ErrorCode.DUPLICATE_KEY, `This ${provider.name} key is already stored in this workspace as ${name}.`, {
    existingKeyId: existing.id,
  });
}
