import type { DataSource } from 'typeorm';
import { AppError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import { Workspace } from '../workspaces/workspace.entity';
import { AppKey } from './app-key.entity';
import { hashToken, isWellFormedToken } from './app-token';
import { Viewer } from './viewer';

/** lastUsedAt is a hint for humans; writing it at most once a minute keeps reads from turning into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class AuthService {
  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
  ) {}

  /**
   * The viewer behind a token, or undefined when the token is malformed, unknown or revoked.
   * Looked up on every request, so a revoked token stops working at once on every api process.
   */
  async authenticate(token: string | undefined): Promise<Viewer | undefined> {
    if (!token || !isWellFormedToken(token)) return undefined;
    if (!this.db.isInitialized) throw databaseUnavailable();
    let appKey: AppKey | null;
    try {
      appKey = await this.db
        .getRepository(AppKey)
        .createQueryBuilder('k')
        .innerJoinAndMapOne('k.workspace', Workspace, 'w', 'w.id = k.workspace_id')
        .where('k.token_hash = :hash AND k.revoked_at IS NULL', { hash: hashToken(token) })
        .getOne();
    } catch (error) {
      this.logger.error({ err: error }, 'token lookup failed');
      throw databaseUnavailable();
    }
    if (!appKey?.workspace) return undefined;
    this.touch(appKey);
    return new Viewer(appKey.workspace, appKey.role, appKey.id);
  }

  /** True while the app key exists and is not revoked; open sockets re-check with it. */
  async isActive(appKeyId: string): Promise<boolean> {
    const count = await this.db.getRepository(AppKey).createQueryBuilder('k')
      .where('k.id = :id AND k.revoked_at IS NULL', { id: appKeyId })
      .getCount();
    return count > 0;
  }

  private touch(appKey: AppKey): void {
    const now = Date.now();
    if (appKey.lastUsedAt && now - appKey.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    this.db
      .query('UPDATE app_keys SET last_used_at = now() WHERE id = $1', [appKey.id])
      .catch((error: unknown) => this.logger.warn({ err: error, appKeyId: appKey.id }, 'could not record last use'));
  }
}

export const databaseUnavailable = (): AppError =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The database is not reachable right now. Try again shortly.');
