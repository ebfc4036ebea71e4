import DataLoader from 'dataloader';
import { type DataSource, In } from 'typeorm';
import { Provider } from './providers/provider.entity';

/**
 * Per-request batching: a table of N keys asks for their providers in one query, not N.
 * Created fresh for every request (and every subscription event), so nothing is cached across them.
 */
export interface Loaders {
  readonly provider: DataLoader<string, Provider | null>;
}

export function createLoaders(db: DataSource): Loaders {
  return {
    provider: new DataLoader(async (ids) => {
      const rows = await db.getRepository(Provider).findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
