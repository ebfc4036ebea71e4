import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Client, Pool } from 'pg';
import { issueToken } from '../../src/auth/app-token';
import { Vault } from '../../src/secrets/vault';
import { freePort, runEntrypoint, waitUntil, type RunningProcess } from '../../test/helpers/processes';
import { migrate } from '../migrate';

export interface BenchOptions {
  /** Smaller datasets and shorter rounds: the whole run in under 2 minutes. */
  readonly quick: boolean;
  /** Keep the bench database afterwards, to look at it. */
  readonly keep: boolean;
}

/** An api or worker process of the service, started from source the way `npm run dev` does. */
export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  /** http://127.0.0.1:port */
  readonly url: string;
  readonly pid: number;
  /** The process's resident memory now, from /proc. */
  rssBytes(): number;
  stop(): Promise<void>;
}

export interface BenchWorkspace {
  readonly id: string;
  /** An ADMIN token of the workspace. */
  readonly token: string;
}

/** Dropped and created at the start of every run; BENCH_DATABASE names another (two runs at once). */
const BENCH_DATABASE = /^[a-z_][a-z0-9_]*$/.test(process.env.BENCH_DATABASE ?? '') ? process.env.BENCH_DATABASE! : 'byok_bench';

/**
 * What every workload runs against: its own database (`byok_bench`, created fresh, migrated, the
 * catalog written), its own Redis prefix per workload, and the service's processes with the
 * production settings a benchmark needs (no request logs, no per-token rate limit).
 */
export class BenchEnv {
  readonly keyring = `1:${randomBytes(32).toString('base64')}`;
  readonly vault: Vault;
  readonly redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  readonly runId = randomBytes(4).toString('hex');
  private readonly processes = new Set<ServiceProcess>();
  private redisClient?: Redis;

  private constructor(
    readonly options: BenchOptions,
    readonly databaseUrl: string,
    readonly pool: Pool,
  ) {
    this.vault = new Vault([{ version: 1, key: Buffer.from(this.keyring.slice(2), 'base64') }]);
  }

  static async create(options: BenchOptions, log: (line: string) => void): Promise<BenchEnv> {
    const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/byok');
    const admin = new URL(server);
    admin.pathname = '/postgres';
    const databaseUrl = new URL(server);
    databaseUrl.pathname = `/${BENCH_DATABASE}`;
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
    } finally {
      await client.end();
    }
    await migrate(databaseUrl.toString(), () => undefined);
    log(`database ${BENCH_DATABASE} created and migrated`);
    return new BenchEnv(options, databaseUrl.toString(), new Pool({ connectionString: databaseUrl.toString(), max: 8 }));
  }

  /** A Redis client for the bench itself (queue inspection, the PUBLISH baseline). */
  get redis(): Redis {
    this.redisClient ??= new Redis(this.redisUrl, { maxRetriesPerRequest: 3 });
    return this.redisClient;
  }

  /** Queues, channels and counters of one workload never meet another's. */
  prefix(workload: string): string {
    return `byok-bench-${this.runId}-${workload}`;
  }

  /** The environment the service's processes run with in a benchmark; `overrides` win. */
  serviceEnv(prefix: string, overrides: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'production',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: prefix,
      SECRETS_KEYRING: this.keyring,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ALLOW_PRIVATE_ENDPOINTS: 'true',
      RATE_LIMIT_PER_MINUTE: '0',
      SCHEDULER_INTERVAL_MS: '3600000',
      ...overrides,
    };
  }

  async startApi(prefix: string, overrides: Record<string, string> = {}, name = 'api'): Promise<ServiceProcess> {
    const port = await freePort();
    const running = runService('src/main.ts', this.serviceEnv(prefix, { PORT: String(port), WORKER_PORT: '0', ...overrides }));
    return this.track(name, port, running, '/readyz');
  }

  async startWorker(prefix: string, overrides: Record<string, string> = {}, name = 'worker'): Promise<ServiceProcess> {
    const port = await freePort();
    const running = runService('workers/main.ts', this.serviceEnv(prefix, { WORKER_PORT: String(port), ...overrides }));
    return this.track(name, port, running, '/healthz');
  }

  /** Any other process of the bench (a baseline server, a load generator) that serves HTTP on `port`. */
  async startScript(name: string, entry: string, port: number, args: string[] = [], readyPath = '/'): Promise<ServiceProcess> {
    return this.track(name, port, runEntrypoint(entry, { NODE_ENV: 'production' }, args), readyPath);
  }

  /** Workspaces with one ADMIN token each, written straight into the database (fast for thousands). */
  async createWorkspaces(count: number, label = 'bench'): Promise<BenchWorkspace[]> {
    const workspaces: BenchWorkspace[] = [];
    for (let start = 0; start < count; start += 1000) {
      const size = Math.min(1000, count - start);
      const { rows } = await this.pool.query<{ id: string }>(
        `INSERT INTO workspaces (name) SELECT $1 || ' ' || n FROM generate_series($2::int, $3::int) AS n RETURNING id`,
        [label, start, start + size - 1],
      );
      const tokens = rows.map(() => issueToken());
      await this.pool.query(
        `INSERT INTO app_keys (workspace_id, name, role, prefix, token_hash)
         SELECT id, 'bench admin', 'ADMIN', prefix, hash FROM unnest($1::uuid[], $2::text[], $3::bytea[]) AS t(id, prefix, hash)`,
        [rows.map((r) => r.id), tokens.map((t) => t.prefix), tokens.map((t) => t.hash)],
      );
      rows.forEach((r, i) => workspaces.push({ id: r.id, token: tokens[i].token }));
    }
    return workspaces;
  }

  /** Removes every Redis key of this run. */
  async clearRedis(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `byok-bench-${this.runId}-*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await this.redis.unlink(...keys);
    } while (cursor !== '0');
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.processes].map((p) => p.stop()));
  }

  async close(): Promise<void> {
    await this.stopAll();
    await this.clearRedis().catch(() => undefined);
    this.redisClient?.disconnect();
    await this.pool.end();
    if (!this.options.keep) {
      const admin = new URL(this.databaseUrl);
      admin.pathname = '/postgres';
      const client = new Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`).finally(() => client.end());
    }
  }

  private async track(name: string, port: number, running: RunningProcess, readyPath: string): Promise<ServiceProcess> {
    const url = `http://127.0.0.1:${port}`;
    const pid = running.child.pid ?? 0;
    const service: ServiceProcess = {
      name,
      port,
      url,
      pid,
      rssBytes: () => rssOf(pid),
      stop: async () => {
        this.processes.delete(service);
        running.kill('SIGTERM');
        const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
        await running.exited;
        clearTimeout(timer);
      },
    };
    this.processes.add(service);
    let exited = false;
    void running.exited.then(() => (exited = true));
    try {
      await waitUntil(async () => {
        if (exited) throw new Error('exited');
        return (await fetch(`${url}${readyPath}`)).ok;
      }, 60_000, `${name} on port ${port}`);
    } catch (error) {
      await service.stop();
      throw new Error(`${name} did not start: ${(error as Error).message}\n${running.output.slice(-20).join("\n")}`, { cause: error });
    }
    if (exited) throw new Error(`${name} exited at start:\n${running.output.slice(-20).join('\n')}`);
    return service;
  }
}

/**
 * Runs an entrypoint of the service from source. With BENCH_CPU_PROFILE_DIR set, each api and worker
 * process writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
 */
function runService(entry: string, env: Record<string, string>): RunningProcess {
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  return runEntrypoint(entry, env, [], profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
}

/** Resident memory of a process, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}
