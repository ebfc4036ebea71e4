import { createApiApp } from '../../src/app';
import { issueToken } from '../../src/auth/app-token';
import { loadConfig } from '../../src/config';
import { freePort, waitUntil } from '../helpers/processes';
import { TestRedisServer } from '../helpers/redis-server';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { databaseUrl, templateName, withAdminClient } from '../helpers/test-database';
import { testEnv, uniquePrefix } from '../helpers/test-env';

async function probe(api: TestApi, path: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${api.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('healthz and readyz', () => {
  it('reports ready when Postgres and Redis answer', async () => {
    const api = await startTestApi();
    try {
      expect(await probe(api, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await probe(api, '/readyz')).toEqual({ status: 200, body: { status: 'ready', postgres: 'ok', redis: 'ok' } });
    } finally {
      await api.stop();
    }
  });

  it('starts without Redis, names it in readyz, and recovers when Redis comes back', async () => {
    const redis = await TestRedisServer.start();
    await redis.stop();
    const api = await startTestApi({ env: { REDIS_URL: redis.url } });
    try {
      expect((await probe(api, '/healthz')).status).toBe(200);
      const down = await probe(api, '/readyz');
      expect(down.status).toBe(503);
      expect(down.body.postgres).toBe('ok');
      expect(down.body.redis).toMatch(/^down/);

      await redis.start();
      await waitUntil(async () => (await probe(api, '/readyz')).status === 200, 15_000, 'readyz after redis restart');

      await redis.stop();
      await waitUntil(async () => (await probe(api, '/readyz')).body.redis?.startsWith('down'), 15_000, 'readyz to notice redis stopped');
      await redis.start();
      await waitUntil(async () => (await probe(api, '/readyz')).status === 200, 15_000, 'readyz after second restart');
    } finally {
      await api.stop();
      await redis.stop();
    }
  });

  it('keeps trying and connects by itself once Postgres has the database', async () => {
    const name = `byok_t_late_${process.pid}_${Date.now().toString(16)}`;
    const late = { name, url: databaseUrl(name), drop: () => withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
    const apiPromise = startTestApi({ database: late });
    // startTestApi waits for the database; make it appear a moment later, as a slow Postgres would.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await withAdminClient((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName()}"`));
    const api = await apiPromise;
    try {
      expect(await probe(api, '/readyz')).toEqual({ status: 200, body: { status: 'ready', postgres: 'ok', redis: 'ok' } });
    } finally {
      await api.stop();
      await late.drop();
    }
  });

  it('answers healthz and a 503 naming postgres while Postgres is unreachable', async () => {
    const port = await freePort();
    const app = await createApiApp(loadConfig(testEnv(`postgres://postgres@127.0.0.1:${port}/x`, uniquePrefix())));
    const listening = await app.start();
    try {
      const base = `http://127.0.0.1:${listening}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as Record<string, string>;
      expect(body.postgres).toMatch(/^down/);
      expect(body.redis).toBe('ok');
      const graphql = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${issueToken().token}` },
        body: JSON.stringify({ query: '{ viewer { role } }' }),
      });
      expect(graphql.status).toBe(503);
      const answer = (await graphql.json()) as { errors: { extensions: { code: string } }[] };
      expect(answer.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await app.stop();
    }
  });
});
