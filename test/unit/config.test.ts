import { ConfigError, loadConfig } from '../../src/config';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 4000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/byok',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'byok',
      allowPrivateEndpoints: false,
      logLevel: 'info',
      usingDevelopmentKeyring: true,
    });
    expect(config.keyring).toHaveLength(1);
    expect(config.keyring[0].key).toHaveLength(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/x',
      REDIS_URL: 'rediss://cache:6380',
      REDIS_PREFIX: 'acme',
      SECRETS_KEYRING: `2:${key(2)},1:${key(1)}`,
      ALLOW_PRIVATE_ENDPOINTS: 'true',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({ nodeEnv: 'production', port: 8080, redisPrefix: 'acme', allowPrivateEndpoints: true, logLevel: 'debug' });
    expect(config.keyring.map((entry) => entry.version)).toEqual([2, 1]);
    expect(config.usingDevelopmentKeyring).toBe(false);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', NODE_ENV: 'staging', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', REDIS_URL: 'not a url', ALLOW_PRIVATE_ENDPOINTS: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'NODE_ENV', 'LOG_LEVEL', 'DATABASE_URL', 'REDIS_URL', 'ALLOW_PRIVATE_ENDPOINTS']) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(6);
  });

  it('refuses to start in production without a keyring', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRETS_KEYRING is required in production/);
  });

  it('rejects malformed keyrings without echoing key material', () => {
    const short = Buffer.alloc(16, 9).toString('base64');
    let error: ConfigError | undefined;
    try {
      loadConfig({ SECRETS_KEYRING: `1:${short},1:${key(1)},nonsense,0:${key(3)}` });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual([
      'SECRETS_KEYRING version 1 must decode to 32 bytes (got 16)',
      'SECRETS_KEYRING entry 3 must look like "<version>:<base64 of 32 bytes>"',
      'SECRETS_KEYRING entry 4 has version 0; versions start at 1',
    ]);
    expect(error?.message).not.toContain(short);
  });

  it('does not echo a database password in an error', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://user:hunter2@' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'postgres://user:hunter2@' });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('defaults the operations settings by environment', () => {
    expect(loadConfig({})).toMatchObject({
      playground: true,
      introspection: true,
      maxQueryDepth: 10,
      maxQueryComplexity: 10_000,
      rateLimitPerMinute: 600,
      bodyLimitBytes: 256 * 1024,
      maxSubscriptionsPerSocket: 20,
      operatorWorkspaceId: undefined,
      operatorToken: undefined,
      metricsToken: undefined,
      workerPort: 4001,
    });
    const production = loadConfig({ NODE_ENV: 'production', SECRETS_KEYRING: `1:${key(1)}` });
    expect(production).toMatchObject({ playground: false, introspection: false });
    expect(loadConfig({ NODE_ENV: 'production', SECRETS_KEYRING: `1:${key(1)}`, PLAYGROUND: 'true', INTROSPECTION: 'true' })).toMatchObject({
      playground: true,
      introspection: true,
    });
  });

  it('names every bad operations variable without echoing secrets', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        MAX_QUERY_DEPTH: '0',
        MAX_QUERY_COMPLEXITY: 'lots',
        RATE_LIMIT_PER_MINUTE: '-1',
        BODY_LIMIT_KB: '0',
        MAX_SUBSCRIPTIONS_PER_SOCKET: 'x',
        OPERATOR_WORKSPACE_ID: 'acme',
        OPERATOR_TOKEN: 'short-secret',
        METRICS_TOKEN: 'tiny',
        WORKER_PORT: '70000',
        PLAYGROUND: 'sometimes',
        INTROSPECTION: 'maybe',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    const problems = error?.problems.join('\n') ?? '';
    for (const name of ['MAX_QUERY_DEPTH', 'MAX_QUERY_COMPLEXITY', 'RATE_LIMIT_PER_MINUTE', 'BODY_LIMIT_KB', 'MAX_SUBSCRIPTIONS_PER_SOCKET', 'OPERATOR_WORKSPACE_ID', 'OPERATOR_TOKEN', 'METRICS_TOKEN', 'WORKER_PORT', 'PLAYGROUND', 'INTROSPECTION']) {
      expect(problems).toContain(name);
    }
    expect(error?.problems).toHaveLength(11);
    expect(problems).not.toContain('short-secret');
    expect(problems).not.toContain('tiny');
  });
});
