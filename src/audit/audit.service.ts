import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../errors';
import { AuditEvent } from './audit-event.entity';

export const SYSTEM_WORKER = 'system:worker';
export const OPERATOR = 'operator';

export interface AuditRecord {
  readonly workspaceId: string;
  readonly actor: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId?: string | null;
  readonly details?: Record<string, unknown>;
}

export interface AuditFilterInput {
  readonly action?: string | null;
  readonly targetId?: string | null;
  readonly since?: Date | null;
}

export interface AuditPage {
  readonly events: AuditEvent[];
  readonly hasNextPage: boolean;
}

/** Field names that must never reach an audit row; a caller passing one is a bug, so it throws. */
const FORBIDDEN_DETAIL_KEYS = /^(api_?key|secret|token|password|plaintext|ciphertext|authorization)$/i;

function assertNoSecrets(value: unknown, path = 'details'): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (FORBIDDEN_DETAIL_KEYS.test(key)) throw new Error(`audit ${path}.${key} would record a secret`);
    assertNoSecrets(inner, `${path}.${key}`);
  }
}

const CURSOR_PREFIX = 'audit:';
export const encodeCursor = (id: string): string => Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!/^\d{1,18}$/.test(id)) throw badInput('The "after" cursor is not one this API gave out.', 'after');
  return id;
}

export const AUDIT_PAGE_MAX = 200;

export class AuditService {
  constructor(private readonly db: DataSource) {}

  /** Writes one event inside the caller's transaction, so the change and its record commit together. */
  async record(tx: EntityManager, record: AuditRecord): Promise<void> {
    assertNoSecrets(record.details);
    const repo = tx.getRepository(AuditEvent);
    await repo.save(
      repo.create({
        workspaceId: record.workspaceId,
        actor: record.actor,
        action: record.action,
        targetType: record.targetType,
        targetId: record.targetId ?? null,
        details: record.details ?? null,
      }),
      { reload: false },
    );
  }

  /** Newest first, `first` at a time, after an opaque cursor. */
  async list(workspaceId: string, filter: AuditFilterInput | undefined, first: number, after?: string | null): Promise<AuditPage> {
    if (!Number.isInteger(first) || first < 1 || first > AUDIT_PAGE_MAX) {
      throw badInput(`"first" must be between 1 and ${AUDIT_PAGE_MAX}.`, 'first');
    }
    const query = this.db
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('e.workspace_id = :workspaceId', { workspaceId })
      .orderBy('e.id', 'DESC')
      .limit(first + 1);
    if (after) query.andWhere('e.id < :after', { after: decodeCursor(after) });
    if (filter?.action) query.andWhere('e.action = :action', { action: filter.action });
    if (filter?.targetId) query.andWhere('e.target_id = :targetId', { targetId: filter.targetId });
    if (filter?.since) query.andWhere('e.created_at >= :since', { since: filter.since });
    const rows = await query.getMany();
    return { events: rows.slice(0, first), hasNextPage: rows.length > first };
  }
}
