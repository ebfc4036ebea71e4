import DataLoader from 'dataloader';
import { type DataSource, In } from 'typeorm';
import { queryModels } from './models/model-availability';
import type { ModelService } from './models/model.service';
import type { ModelView } from './models/model.types';
import { Provider } from './providers/provider.entity';

/**
 * Per-request batching: a table of N keys asks for their providers (or unlocked models) in one
 * query, not N. Created fresh for every request and every subscription operation.
 */
export interface Loaders {
  readonly provider: DataLoader<string, Provider | null>;
  /** What each key unlocks now. */
  readonly unlockedModels: DataLoader<string, ModelView[]>;
  /** A provider's models as the viewer's workspace sees them (empty without a viewer). */
  readonly providerModels: DataLoader<string, ModelView[]>;
}

export function createLoaders(db: DataSource, models: ModelService, workspaceId: string | undefined): Loaders {
  return {
    provider: new DataLoader(async (ids) => {
      const rows = await db.getRepository(Provider).findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    // Not cached: a subscription keeps its context for many events, and availability changes between them.
    unlockedModels: new DataLoader(
      async (keyIds) => {
        const byKey = await models.unlockedByKeys(keyIds);
        return keyIds.map((id) => byKey.get(id) ?? []);
      },
      { cache: false },
    ),
    providerModels: new DataLoader(
      async (providerIds) => {
        if (!workspaceId) return providerIds.map(() => []);
        const rows = await queryModels(db.manager, workspaceId, { providerIds: [...new Set(providerIds)] });
        return providerIds.map((id) => rows.filter((m) => m.providerId === id));
      },
      { cache: false },
    ),
  };
}
