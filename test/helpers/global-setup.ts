import type { Client } from 'pg';
import { ensurePlaygroundBuilt } from '../../scripts/build-playground';
import { migrate } from '../../scripts/migrate';
import { databaseUrl, templateName, withAdminClient } from './test-database';

/** Builds the playground bundle if stale, and the migrated template database once per migrations hash. */
export default async function globalSetup(): Promise<void> {
  // The playground and browser tests need the bundled assets; a fresh clone has none yet.
  await ensurePlaygroundBuilt(() => undefined);
  await withAdminClient(async (client) => {
    await ensureTemplate(client, templateName());
    await dropLeftovers(client);
  });
}

async function ensureTemplate(client: Client, template: string): Promise<void> {
  // One runner builds the template; any other waits here, then finds it ready.
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (found.rowCount) return;
    const building = `${template}_building`;
    await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${building}"`);
    await migrate(databaseUrl(building), () => undefined);
    await client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
  }
}

/** Test databases of runs that were killed before their afterAll would pile up otherwise. */
async function dropLeftovers(client: Client): Promise<void> {
  const leftovers = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'byok\\_t\\_%'`);
  for (const { datname } of leftovers.rows as { datname: string }[]) {
    const pid = Number(/_(\d+)_[0-9a-f]+$/.exec(datname)?.[1]);
    if (pid && !processAlive(pid)) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
