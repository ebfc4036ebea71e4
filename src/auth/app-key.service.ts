import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inTransaction } from '../db/transaction';
import { AppError, ErrorCode, badInput, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import { Topic, type AppKeyRevokedEvent } from '../events/event-bus';
import { isUuid } from '../ids';
import { AppKey } from './app-key.entity';
import { issueToken } from './app-token';
import { Role } from './role';

export const APP_KEY_NAME_MAX = 100;

export interface CreatedAppKeyResult {
  readonly appKey: AppKey;
  /** The only time the token exists outside the caller's hands. */
  readonly token: string;
}

export interface CreateAppKeyInput {
  readonly workspaceId: string;
  readonly name: string;
  readonly role: Role;
  /** Who asked, for the audit trail: "app_key:<id>" or "operator". */
  readonly actor: string;
}

export class AppKeyService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: Pick<EventBus, 'pubSub'>,
  ) {}

  async create(input: CreateAppKeyInput, outer?: EntityManager): Promise<CreatedAppKeyResult> {
    const name = input.name.trim();
    if (!name) throw badInput('An app key needs a name, such as "ci" or "dashboard".', 'name');
    if (name.length > APP_KEY_NAME_MAX) throw badInput(`An app key name may have at most ${APP_KEY_NAME_MAX} characters.`, 'name');
    if (!Object.values(Role).includes(input.role)) throw badInput(`Role must be one of ${Object.values(Role).join(', ')}.`, 'role');
    const issued = issueToken();
    const appKey = await inTransaction(this.db, outer, async (tx) => {
      const saved = await tx.getRepository(AppKey).save({
        workspaceId: input.workspaceId,
        name,
        role: input.role,
        prefix: issued.prefix,
        tokenHash: issued.hash,
        lastUsedAt: null,
        revokedAt: null,
      });
      await this.audit.record(tx, {
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: 'app_key.created',
        targetType: 'app_key',
        targetId: saved.id,
        details: { name, role: input.role, prefix: issued.prefix },
      });
      return saved;
    });
    return { appKey, token: issued.token };
  }

  list(workspaceId: string): Promise<AppKey[]> {
    return this.db.getRepository(AppKey).find({ where: { workspaceId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  async revoke(workspaceId: string, id: string, actor: string): Promise<AppKey> {
    if (!isUuid(id)) throw notFound('App key', id);
    const revoked = await this.db.transaction(async (tx) => {
      const repo = tx.getRepository(AppKey);
      const appKey = await repo.findOne({ where: { id, workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!appKey) throw notFound('App key', id);
      if (appKey.revokedAt) return appKey;
      if (appKey.role === Role.ADMIN) {
        // Locking every active admin key serializes concurrent revokes, so two cannot remove the last two.
        const activeAdmins = await repo
          .createQueryBuilder('k')
          .setLock('pessimistic_write')
          .where('k.workspace_id = :workspaceId AND k.role = :role AND k.revoked_at IS NULL', { workspaceId, role: Role.ADMIN })
          .getMany();
        if (activeAdmins.length <= 1) {
          throw new AppError(
            ErrorCode.CONFLICT,
            "This is the workspace's last active ADMIN key. Create another ADMIN key first, then revoke this one.",
          );
        }
      }
      appKey.revokedAt = new Date();
      const saved = await repo.save(appKey);
      await this.audit.record(tx, {
        workspaceId,
        actor,
        action: 'app_key.revoked',
        targetType: 'app_key',
        targetId: id,
        details: { name: appKey.name, role: appKey.role, prefix: appKey.prefix },
      });
      return saved;
    });
    const event: AppKeyRevokedEvent = { appKeyId: revoked.id, workspaceId };
    this.events.pubSub.publish(Topic.APP_KEY_REVOKED, event);
    return revoked;
  }
}
