import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

const CHECK_TIMEOUT_MS = 2_000;

async function withTimeout(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return `down: ${(error as Error).message || 'unreachable'}`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /healthz says the process is alive (for restarts); /readyz says it can serve (for load balancers),
 * naming each dependency that does not answer.
 */
export function healthRoutes(deps: { db: DataSource; redis: Redis }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      withTimeout(async () => {
        if (!deps.db.isInitialized) throw new Error('not connected yet');
        await deps.db.query('SELECT 1');
      }),
      withTimeout(() => deps.redis.ping()),
    ]);
    const ready = postgres === 'ok' && redis === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', postgres, redis });
  });
  return router;
}
