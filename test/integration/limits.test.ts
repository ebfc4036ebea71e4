import { Redis } from 'ioredis';
import { TestRedisServer } from '../helpers/redis-server';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf } from '../helpers/graphql-client';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { TEST_REDIS_URL } from '../helpers/test-env';

const VIEWER = '{ viewer { workspace { id } } }';
const INTROSPECTION = '{ __schema { queryType { name } } }';

describe('query limits', () => {
  let api: TestApi;
  let acme: TestWorkspace;
  beforeAll(async () => {
    api = await startTestApi({ env: { MAX_QUERY_DEPTH: '2', MAX_QUERY_COMPLEXITY: '30' } });
    acme = await createWorkspace(api.app.core);
  });
  afterAll(() => api.stop());

  it('refuses a query deeper than MAX_QUERY_DEPTH, naming the limit and the depth', async () => {
    const response = await api.gql(VIEWER, undefined, acme.adminToken);
    expect(response.status).toBe(400);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
    expect(response.errors?.[0].message).toBe('Query depth 3 exceeds the limit of 2. Select fewer nested levels.');
    expect(response.errors?.[0].extensions).toMatchObject({ measure: 'depth', limit: 2, actual: 3 });
    expect((await api.gql('{ viewer { role } }', undefined, acme.adminToken)).errors).toBeUndefined();
  });

  it('counts fragments toward depth and ignores introspection fields', async () => {
    const viaFragment = await api.gql('query { viewer { ...W } } fragment W on Viewer { workspace { id } }', undefined, acme.adminToken);
    expect(codeOf(viaFragment)).toBe('QUERY_TOO_COMPLEX');
    expect((await api.gql('{ __schema { types { fields { type { ofType { name } } } } } }')).errors).toBeUndefined();
  });

  it('refuses a query over MAX_QUERY_COMPLEXITY, naming the limit and the complexity', async () => {
    // appKeys is a list (assumed 10 items): 1 + 10 * 3 fields = 31.
    const response = await api.gql('{ appKeys { id name role } }', undefined, acme.adminToken);
    expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
    expect(response.errors?.[0].message).toMatch(/^Query complexity 31 exceeds the limit of 30\./);
    expect((await api.gql('{ appKeys { id name } }', undefined, acme.adminToken)).errors).toBeUndefined();
  });

  it('applies the same limits over graphql-ws', async () => {
    const ws = api.ws(acme.adminToken);
    const deep = ws.subscribe(VIEWER);
    await expect(deep.next(2_000)).rejects.toThrow(/QUERY_TOO_COMPLEX/);
    expect(JSON.stringify(deep.errors)).toContain('Query depth 3 exceeds the limit of 2');
    const fine = ws.subscribe('{ viewer { role } }');
    expect(await fine.next()).toEqual({ viewer: { role: 'ADMIN' } });
  });

  it('refuses batched requests and oversized bodies with a code', async () => {
    const batched = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(batched.status).toBe(400);
    const big = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(300 * 1024)}` }),
    });
    expect(big.status).toBe(413);
    const body = (await big.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toEqual({ message: 'Request body is larger than 256 kB (BODY_LIMIT_KB).', extensions: { code: 'BAD_REQUEST' } });
  });

  it('answers an operationName the document does not hold with BAD_REQUEST, not an internal error', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.adminToken}` },
      body: JSON.stringify({ query: 'query Mine { viewer { role } }', operationName: 'Viewer' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([{ message: 'Unknown operation named "Viewer".', extensions: { code: 'BAD_REQUEST' } }]);
  });
});

describe('introspection', () => {
  it('is on in development and test, off in production unless INTROSPECTION=true', async () => {
    const cases: [Record<string, string>, boolean][] = [
      [{}, true],
      [{ NODE_ENV: 'production' }, false],
      [{ NODE_ENV: 'production', INTROSPECTION: 'true' }, true],
    ];
    for (const [env, allowed] of cases) {
      const api = await startTestApi({ env });
      try {
        const http = await api.gql(INTROSPECTION);
        expect({ env, code: codeOf(http) }).toEqual({ env, code: allowed ? undefined : 'GRAPHQL_VALIDATION_FAILED' });
        const workspace = await createWorkspace(api.app.core);
        const sub = api.ws(workspace.adminToken).subscribe(INTROSPECTION);
        if (allowed) expect(await sub.next()).toEqual({ __schema: { queryType: { name: 'Query' } } });
        else await expect(sub.next(2_000)).rejects.toThrow(/GRAPHQL_VALIDATION_FAILED/);
      } finally {
        await api.stop();
      }
    }
  });
});

describe('rate limit', () => {
  let api: TestApi;
  let acme: TestWorkspace;
  beforeAll(async () => {
    api = await startTestApi({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    acme = await createWorkspace(api.app.core);
  });
  afterAll(() => api.stop());

  it('answers RATE_LIMITED with 429 and Retry-After past the limit, per app key', async () => {
    const member = await acme.token('MEMBER' as never);
    for (let i = 0; i < 3; i += 1) expect((await api.gql('{ viewer { role } }', undefined, member)).errors).toBeUndefined();
    const limited = await api.gql('{ viewer { role } }', undefined, member);
    expect(limited.status).toBe(429);
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.errors?.[0].extensions?.retryAfterSeconds).toBe(retryAfter);
    expect(limited.errors?.[0].message).toMatch(/Rate limit of 3 requests per minute/);

    // Another token has its own budget; the same token is refused over graphql-ws too.
    expect((await api.gql('{ viewer { role } }', undefined, acme.adminToken)).errors).toBeUndefined();
    const sub = api.ws(member).subscribe('{ viewer { role } }');
    await expect(sub.next(2_000)).rejects.toThrow(/RATE_LIMITED/);
  });

  it('keys the counter by app key id under REDIS_PREFIX, never by the token', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${api.config.redisPrefix}:ratelimit:*`);
      expect(keys.length).toBeGreaterThan(0);
      const viewer = await api.gql('{ viewer { appKeyId } }', undefined, acme.adminToken);
      expect(keys).toContain(`${api.config.redisPrefix}:ratelimit:${viewer.data?.viewer.appKeyId}`);
      expect(keys.join(' ')).not.toContain('byok_');
      for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });

  it('fails open, with a warning, when Redis is down', async () => {
    const redis = await TestRedisServer.start();
    await redis.stop();
    const down = await startTestApi({ env: { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '1' } });
    try {
      const workspace = await createWorkspace(down.app.core);
      for (let i = 0; i < 3; i += 1) {
        const response = await down.gql('{ viewer { role } }', undefined, workspace.adminToken);
        expect(response.errors).toBeUndefined();
      }
      expect(down.logs.text()).toContain('rate limiter cannot reach Redis: letting requests through');
    } finally {
      await down.stop();
    }
  });
});
