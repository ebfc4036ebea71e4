import { createHash } from 'node:crypto';

/**
 * The only reader of process.env. Every variable is parsed once, every problem is collected,
 * and one error names them all, so an operator fixes a deployment in one round trip.
 */

export type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface KeyringEntry {
  readonly version: number;
  readonly key: Buffer;
}

export interface Config extends OperationsConfig {
  readonly nodeEnv: NodeEnv;
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Namespaces every Redis key, queue and channel, so several deployments (or tests) share one Redis. */
  readonly redisPrefix: string;
  /** First entry encrypts; every entry decrypts. */
  readonly keyring: readonly KeyringEntry[];
  /** True when SECRETS_KEYRING was not set and the well-known development keyring is in use. */
  readonly usingDevelopmentKeyring: boolean;
  readonly allowPrivateEndpoints: boolean;
  readonly logLevel: LogLevel;
  readonly keyTests: KeyTestSettings;
  readonly runtimeHealth: RuntimeHealthSettings;
}

/** How reported runtime outcomes move a key's health (README, "Runtime health"). */
export interface RuntimeHealthSettings {
  /** A 429 leaves the key DEGRADED for this long after the last one. */
  readonly rateLimitCooldownMs: number;
  /** Transient failures (5xx, timeouts, network) in a row that make the key UNHEALTHY. */
  readonly failureThreshold: number;
  /** Share of failed calls in the window that makes the key UNHEALTHY ... */
  readonly failureRatio: number;
  /** ... once the window holds at least this many calls. */
  readonly minCalls: number;
  readonly failureWindowMs: number;
}

export interface KeyTestSettings {
  /** Tests one worker process runs at once. */
  readonly concurrency: number;
  /** Budget for one provider call, connect to last byte. */
  readonly timeoutMs: number;
  /** How often a PASSED key is tested again. */
  readonly retestIntervalMs: number;
  /** Cap of the recovery backoff (1 min, 2, 4, … up to this) for FAILED and UNHEALTHY keys. */
  readonly recoveryBackoffMaxMs: number;
  /** Tests per provider per second, across all worker processes. */
  readonly perProviderPerSecond: number;
  /** Provider calls per test, retries of 5xx, timeouts and network errors included. */
  readonly attempts: number;
  /** How often the scheduler looks for keys that are due. */
  readonly sweepIntervalMs: number;
  /** How long a worker may hold a job before another takes it over (a killed worker's jobs come back after this). */
  readonly jobLockMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const NODE_ENVS: readonly NodeEnv[] = ['development', 'test', 'production'];

/**
 * Derived from a public string on purpose: anyone can compute it, so it protects nothing and must
 * never be used in production (loadConfig refuses to start there without SECRETS_KEYRING).
 */
const DEVELOPMENT_KEYRING: readonly KeyringEntry[] = Object.freeze([
  Object.freeze({ version: 1, key: createHash('sha256').update('byok development keyring - not a secret').digest() }),
]);

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  url(name: string, fallback: string, protocols: readonly string[]): string {
    const value = this.string(name, fallback);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name} must be a ${protocols.join(' or ')} URL (got protocol "${parsed.protocol}")`);
      }
    } catch {
      // The value may hold a password: name the variable, never echo it.
      this.problems.push(`${name} is not a valid URL`);
    }
    return value;
  }
}

/** Parses `version:base64key,version:base64key`; never echoes key material in a problem. */
export function parseKeyring(value: string, problems: string[]): KeyringEntry[] {
  const entries: KeyringEntry[] = [];
  const seen = new Set<number>();
  value.split(',').forEach((part, index) => {
    const match = /^\s*(\d{1,9}):([A-Za-z0-9+/=_-]+)\s*$/.exec(part);
    if (!match) {
      problems.push(`SECRETS_KEYRING entry ${index + 1} must look like "<version>:<base64 of 32 bytes>"`);
      return;
    }
    const version = Number(match[1]);
    const key = Buffer.from(match[2], 'base64');
    if (version < 1) problems.push(`SECRETS_KEYRING entry ${index + 1} has version 0; versions start at 1`);
    else if (seen.has(version)) problems.push(`SECRETS_KEYRING lists version ${version} twice`);
    else if (key.length !== 32) problems.push(`SECRETS_KEYRING version ${version} must decode to 32 bytes (got ${key.length})`);
    else {
      seen.add(version);
      entries.push(Object.freeze({ version, key }));
    }
  });
  return entries;
}

export function loadConfig(env: Env = process.env): Config {
  const read = new Reader(env);
  const nodeEnv = read.oneOf<NodeEnv>('NODE_ENV', NODE_ENVS, 'development');

  const keyringValue = read.raw('SECRETS_KEYRING');
  let keyring: readonly KeyringEntry[] = DEVELOPMENT_KEYRING;
  if (keyringValue !== undefined) {
    keyring = parseKeyring(keyringValue, read.problems);
    if (keyring.length === 0 && read.problems.length === 0) read.problems.push('SECRETS_KEYRING has no entries');
  } else if (nodeEnv === 'production') {
    read.problems.push('SECRETS_KEYRING is required in production (comma-separated "<version>:<base64 of 32 bytes>")');
  }

  const config: Config = {
    nodeEnv,
    port: read.integer('PORT', 4000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    databaseUrl: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/byok', ['postgres:', 'postgresql:']),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisPrefix: read.string('REDIS_PREFIX', 'byok'),
    keyring: Object.freeze([...keyring]),
    usingDevelopmentKeyring: keyringValue === undefined,
    allowPrivateEndpoints: read.boolean('ALLOW_PRIVATE_ENDPOINTS', false),
    logLevel: read.oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    keyTests: Object.freeze({
      concurrency: read.integer('TEST_CONCURRENCY', 16, 1, 1000),
      timeoutMs: read.integer('TEST_TIMEOUT_MS', 10_000, 100, 300_000),
      retestIntervalMs: read.integer('RETEST_INTERVAL', 6 * 60 * 60 * 1000, 1000, 30 * 24 * 60 * 60 * 1000),
      recoveryBackoffMaxMs: read.integer('RECOVERY_BACKOFF_MAX_MS', 60 * 60 * 1000, 60_000, 7 * 24 * 60 * 60 * 1000),
      perProviderPerSecond: read.integer('TEST_RATE_LIMIT_PER_PROVIDER', 50, 1, 100_000),
      attempts: read.integer('TEST_ATTEMPTS', 3, 1, 10),
      sweepIntervalMs: read.integer('SCHEDULER_INTERVAL_MS', 30_000, 100, 24 * 60 * 60 * 1000),
      jobLockMs: read.integer('JOB_LOCK_MS', 30_000, 1000, 10 * 60 * 1000),
    }),
    runtimeHealth: Object.freeze({
      rateLimitCooldownMs: read.integer('RATE_LIMIT_COOLDOWN_MS', 60_000, 100, 24 * 60 * 60 * 1000),
      failureThreshold: read.integer('FAILURE_THRESHOLD', 5, 1, 1_000_000),
      failureRatio: read.number('FAILURE_RATIO', 0.5, 0.01, 1),
      minCalls: read.integer('MIN_CALLS', 10, 1, 1_000_000),
      failureWindowMs: read.integer('FAILURE_WINDOW_MS', 5 * 60 * 1000, 1000, 24 * 60 * 60 * 1000),
    }),
    ...readOperationsConfig(read, nodeEnv),
  };
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(config.redisPrefix)) {
    read.problems.push('REDIS_PREFIX may hold only letters, digits, "_", "." and "-" (1 to 64 characters)');
  }

  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

/** Playground, metrics, operator access and limits: the admin and operations surface. */
export interface OperationsConfig {
  /** GraphiQL at GET /graphql for browsers; on by default outside production. */
  readonly playground: boolean;
  readonly introspection: boolean;
  readonly maxQueryDepth: number;
  readonly maxQueryComplexity: number;
  /** Operations per app key per minute; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  readonly bodyLimitBytes: number;
  readonly maxSubscriptionsPerSocket: number;
  /** ADMIN tokens of this workspace may open /admin/queues. */
  readonly operatorWorkspaceId?: string;
  /** A shared secret that opens /admin/queues (compared in constant time). */
  readonly operatorToken?: string;
  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  readonly metricsToken?: string;
  /** Port of the worker's /metrics and /healthz server; 0 picks a free port. */
  readonly workerPort: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Shared secrets shorter than this are guessable; the value itself is never echoed. */
const MIN_SECRET_LENGTH = 24;

function readOperationsConfig(read: Reader, nodeEnv: NodeEnv): OperationsConfig {
  const secret = (name: string): string | undefined => {
    const value = read.raw(name);
    if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
      read.problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters long`);
    }
    return value;
  };
  const operatorWorkspaceId = read.raw('OPERATOR_WORKSPACE_ID');
  if (operatorWorkspaceId !== undefined && !UUID.test(operatorWorkspaceId)) {
    read.problems.push(`OPERATOR_WORKSPACE_ID must be a workspace id (a UUID, got "${operatorWorkspaceId}")`);
  }
  return {
    playground: read.boolean('PLAYGROUND', nodeEnv !== 'production'),
    introspection: read.boolean('INTROSPECTION', nodeEnv !== 'production'),
    maxQueryDepth: read.integer('MAX_QUERY_DEPTH', 10, 1, 100),
    maxQueryComplexity: read.integer('MAX_QUERY_COMPLEXITY', 10_000, 1, 1_000_000),
    rateLimitPerMinute: read.integer('RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    bodyLimitBytes: read.integer('BODY_LIMIT_KB', 256, 1, 10_240) * 1024,
    maxSubscriptionsPerSocket: read.integer('MAX_SUBSCRIPTIONS_PER_SOCKET', 20, 1, 1000),
    operatorWorkspaceId,
    operatorToken: secret('OPERATOR_TOKEN'),
    metricsToken: secret('METRICS_TOKEN'),
    workerPort: read.integer('WORKER_PORT', 4001, 0, 65535),
  };
}
