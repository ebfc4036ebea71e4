import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createPubSub } from '@graphql-yoga/subscription';
import type { DataSource } from 'typeorm';
import { AuditService, OPERATOR } from '../src/audit/audit.service';
import { AppKeyService } from '../src/auth/app-key.service';
import { Role } from '../src/auth/role';
import { ConfigError, loadConfig, type Config } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { AppError, ErrorCode } from '../src/errors';
import { isUuid } from '../src/ids';
import { rewrapSecrets, secretsByKeyringVersion } from '../src/secrets/rewrap';
import { Vault } from '../src/secrets/vault';
import { Workspace } from '../src/workspaces/workspace.entity';
import { WorkspaceService } from '../src/workspaces/workspace.service';

/**
 * The operator's command line: everything that happens outside a workspace's own API.
 * Output for people on stderr/stdout as prose; with --json, exactly one JSON object on stdout.
 */
const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-workspace --name NAME [--json]
      Creates a workspace and its first ADMIN app token, and prints both.
  list-workspaces [--json]
      Lists every workspace.
  create-app-key --workspace ID --role ADMIN|MEMBER|SERVICE --name NAME [--json]
      Creates another app token in a workspace.
  rewrap-secrets [--batch-size N] [--json]
      Re-encrypts every stored provider key under the first SECRETS_KEYRING entry.
      Resumable: run it again after an interruption. Keep old versions in the keyring until it
      reports no failures.
`;

export class UsageError extends Error {}

// The CLI never revokes, so events go to an in-memory bus that nobody listens to.
const appKeyService = (db: DataSource) => new AppKeyService(db, new AuditService(db), { pubSub: createPubSub() });

interface Io {
  out(line: string): void;
  err(line: string): void;
}

type Options = Record<string, string | boolean | undefined>;

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

interface Command {
  options: Record<string, { type: 'string' | 'boolean' }>;
  run(db: DataSource, config: Config, options: Options, io: Io): Promise<void>;
}

const commands: Record<string, Command> = {
  'create-workspace': {
    options: { name: { type: 'string' }, json: { type: 'boolean' } },
    async run(db, _config, options, io) {
      const name = required(options, 'name');
      const { workspace, token } = await db.transaction(async (tx) => {
        const created = await new WorkspaceService(db).create(name, tx);
        const adminKey = await appKeyService(db).create(
          { workspaceId: created.id, name: 'first admin', role: Role.ADMIN, actor: OPERATOR },
          tx,
        );
        return { workspace: created, token: adminKey.token };
      });
      if (options.json) {
        io.out(JSON.stringify({ workspaceId: workspace.id, token }));
        return;
      }
      io.out(`Workspace "${workspace.name}" created.`);
      io.out(`  workspace id: ${workspace.id}`);
      io.out(`  ADMIN token:  ${token}`);
      io.out('Store the token now: it is shown only once.');
    },
  },
  'list-workspaces': {
    options: { json: { type: 'boolean' } },
    async run(db, _config, options, io) {
      const workspaces = await new WorkspaceService(db).list();
      if (options.json) {
        io.out(JSON.stringify({ workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, createdAt: w.createdAt })) }));
        return;
      }
      if (workspaces.length === 0) io.out('No workspaces yet. Create one with: npm run admin -- create-workspace --name "Acme"');
      for (const w of workspaces) io.out(`${w.id}  ${w.createdAt.toISOString()}  ${w.name}`);
    },
  },
  'create-app-key': {
    options: { workspace: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
    async run(db, _config, options, io) {
      const workspaceId = required(options, 'workspace');
      const role = required(options, 'role').toUpperCase();
      const name = required(options, 'name');
      if (!Object.values(Role).includes(role as Role)) throw new UsageError(`--role must be one of ${Object.values(Role).join(', ')}`);
      const exists = isUuid(workspaceId) && (await db.getRepository(Workspace).existsBy({ id: workspaceId }));
      if (!exists) throw new UsageError(`workspace ${workspaceId} was not found (see list-workspaces)`);
      const created = await appKeyService(db).create({ workspaceId, name, role: role as Role, actor: OPERATOR });
      if (options.json) {
        io.out(JSON.stringify({ appKeyId: created.appKey.id, workspaceId, role, token: created.token }));
        return;
      }
      io.out(`${role} app key "${created.appKey.name}" created in workspace ${workspaceId}.`);
      io.out(`  token: ${created.token}`);
      io.out('Store the token now: it is shown only once.');
    },
  },
  'rewrap-secrets': {
    options: { 'batch-size': { type: 'string' }, json: { type: 'boolean' } },
    async run(db, config, options, io) {
      const batchSize = options['batch-size'] === undefined ? 200 : Number(options['batch-size']);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch-size must be a whole number from 1 to 10000');
      const vault = new Vault(config.keyring);
      const report = await rewrapSecrets(db, vault, {
        batchSize,
        onBatch: (progress) => {
          if (!options.json) io.err(`… rewrapped ${progress.rewrapped}, already current ${progress.current}, failed ${progress.failed.length}`);
        },
      });
      const remaining = Object.fromEntries(await secretsByKeyringVersion(db));
      if (options.json) {
        io.out(JSON.stringify({ keyringVersion: vault.primaryVersion, ...report, secretsByKeyringVersion: remaining }));
      } else {
        io.out(`Rewrapped ${report.rewrapped} secret(s) under keyring version ${vault.primaryVersion}; ${report.current} were already current.`);
        for (const failure of report.failed) io.out(`  FAILED ${failure.id}: ${failure.reason}`);
        io.out(`Secrets by keyring version now: ${JSON.stringify(remaining)}`);
      }
      if (report.failed.length) throw new AppError(ErrorCode.CONFLICT, `${report.failed.length} secret(s) could not be rewrapped; see above.`);
    },
  },
};

/** Runs one command; returns the exit code. Exported so tests drive it in-process too. */
export async function runAdmin(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    io.err(name && name !== '--help' ? `Unknown command "${name}".\n\n${USAGE}` : USAGE);
    return name && name !== '--help' ? 2 : 0;
  }
  let options: Options;
  try {
    options = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false }).values as Options;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
  const db = createDataSource({ url: config.databaseUrl, poolSize: 2, applicationName: 'byok-admin' });
  try {
    await db.initialize();
  } catch (error) {
    io.err(`Cannot connect to the database: ${(error as Error).message}`);
    return 1;
  }
  try {
    if (await db.showMigrations()) {
      io.err('The database has pending migrations. Run `npm run migrate` first.');
      return 1;
    }
    await command.run(db, config, options, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof AppError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  runAdmin(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`admin failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
