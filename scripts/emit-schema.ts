import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildAppSchema, printAppSchema } from '../src/schema';

/** Writes schema/schema.graphql from code; with --check, fails when the committed file differs. */
const SCHEMA_FILE = join(__dirname, '..', 'schema', 'schema.graphql');

export async function emittedSchema(): Promise<string> {
  // Resolver instances and a real pubSub are only needed to execute, not to print.
  return printAppSchema(await buildAppSchema({ resolvers: new Map(), pubSub: createPubSub() }));
}

async function main(): Promise<void> {
  const sdl = await emittedSchema();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      // A missing file differs like any other.
    }
    if (committed !== sdl) {
      console.error('schema/schema.graphql is out of date with the code. Run `npm run schema:emit` and commit the result.');
      process.exit(1);
    }
    console.log('schema/schema.graphql matches the code');
    return;
  }
  writeFileSync(SCHEMA_FILE, sdl);
  console.log(`wrote ${SCHEMA_FILE}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
