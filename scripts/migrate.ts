import 'reflect-metadata';
import { createDataSource } from '../src/db/data-source';
import { ensureDatabase } from '../src/db/ensure-database';
import { syncCatalog } from '../src/models/catalog-sync';
import { loadConfigOrExit } from '../src/shutdown';

/**
 * Creates the database when missing, applies every pending migration, then writes the built-in
 * model catalog into it. Safe to run again.
 */
export async function migrate(databaseUrl: string, log: (line: string) => void = console.log): Promise<string[]> {
  if (await ensureDatabase(databaseUrl)) log(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
  const db = createDataSource({ url: databaseUrl, poolSize: 1, applicationName: 'byok-migrate' });
  await db.initialize();
  try {
    const applied = await db.runMigrations({ transaction: 'each' });
    await syncCatalog(db);
    return applied.map((migration) => migration.name);
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  migrate(loadConfigOrExit().databaseUrl).then(
    (applied) => {
      console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date');
    },
    (error: unknown) => {
      console.error(`migration failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
