import { createDataSource } from '../../src/db/data-source';
import { createTestDatabase } from '../helpers/test-database';

describe('migrations', () => {
  it('match the entities exactly: nothing left for migration:generate to write', async () => {
    const database = await createTestDatabase('drift');
    const db = createDataSource({ url: database.url, poolSize: 1 });
    await db.initialize();
    try {
      const pending = await db.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(await db.showMigrations()).toBe(false);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
