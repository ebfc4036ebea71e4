import type { DataSource, EntityManager } from 'typeorm';
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

export class AppKeyService {
  constructor(
    private readonly db: DataSource,
    private readonly events: Pick<EventBus, 'pubSub'>,
  ) {}

  async create(workspaceId: string, name: string, role: Role, outer?: EntityManager): Promise<CreatedAppKeyResult> {
    const trimmed = name.trim();
    if (!trimmed) throw badInput('An app key needs a name, such as "ci" or "dashboard".', 'name');
    if (trimmed.length > APP_KEY_NAME_MAX) throw badInput(`An app key name may have at most ${APP_KEY_NAME_MAX} characters.`, 'name');
    if (!Object.values(Role).includes(role)) throw badInput(`Role must be one of ${Object.values(Role).join(', ')}.`, 'role');
    const issued = issueToken();
    const appKey = await inTransaction(this.db, outer, (tx) => tx.getRepository(AppKey).save({
      workspaceId,
      name: trimmed,
      role,
      prefix: issued.prefix,
      tokenHash: issued.hash,
      lastUsedAt: null,
      revokedAt: null,
    }));
    return { appKey, token: issued.token };
  }

  list(workspaceId: string): Promise<AppKey[]> {
    return this.db.getRepository(AppKey).find({ where: { workspaceId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  async revoke(workspaceId: string, id: string): Promise<AppKey> {
    if (!isUuid(id)) throw notFound('App key', id);
    const revoked = await this.db.transaction(async (tx) => {
      const repo = tx.getRepository(AppKey);
      // Lock the workspace's admin keys so two concurrent revokes cannot remove the last two admins.
      const appKey = await repo.findOne({ where: { id, workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!appKey) throw notFound('App key', id);
      if (appKey.revokedAt) return appKey;
      if (appKey.role === Role.ADMIN) {
        const activeAdmins = await repo
          .createQueryBuilder('k')
          .setLock('pessimistic_write')
          .where('k.workspace_id = :workspaceId AND k.role = :role AND k.revoked_at IS NULL', { workspaceId, role: Role.ADMIN })
          .getMany();
        if (activeAdmins.length <= 1) {
          throw new AppError(
            ErrorCode.CONFLICT,
            'This is the workspace\'s last active ADMIN key. Create another ADMIN key first, then revoke this one.',
          );
        }
      }
      appKey.revokedAt = new Date();
      return repo.save(appKey);
    });
    const event: AppKeyRevokedEvent = { appKeyId: revoked.id, workspaceId };
    this.events.pubSub.publish(Topic.APP_KEY_REVOKED, event);
    return revoked;
  }
}
