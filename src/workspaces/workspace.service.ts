import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { badInput } from '../errors';
import { Workspace } from './workspace.entity';

export const WORKSPACE_NAME_MAX = 200;

export class WorkspaceService {
  constructor(private readonly db: DataSource) {}

  async create(name: string, outer?: EntityManager): Promise<Workspace> {
    const trimmed = name.trim();
    if (!trimmed) throw badInput('A workspace needs a name.', 'name');
    if (trimmed.length > WORKSPACE_NAME_MAX) throw badInput(`A workspace name may have at most ${WORKSPACE_NAME_MAX} characters.`, 'name');
    return inTransaction(this.db, outer, (tx) => tx.getRepository(Workspace).save({ name: trimmed }));
  }

  list(): Promise<Workspace[]> {
    return this.db.getRepository(Workspace).find({ order: { createdAt: 'ASC' } });
  }
}
