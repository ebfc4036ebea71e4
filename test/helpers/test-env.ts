import { randomBytes } from 'node:crypto';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fixed test keyring: version 1 only. Tests that rotate build their own. */
export const TEST_KEYRING = `1:${Buffer.alloc(32, 7).toString('base64')}`;

/** A Redis prefix no other test (or checkout) shares, so queues and channels never cross. */
export const uniquePrefix = (label = 't'): string => `byoktest-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;

/** The environment a test api or worker runs with; `overrides` win. */
export function testEnv(databaseUrl: string, redisPrefix: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    SECRETS_KEYRING: TEST_KEYRING,
    PORT: '0',
    WORKER_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ALLOW_PRIVATE_ENDPOINTS: 'true',
    ...overrides,
  };
}
