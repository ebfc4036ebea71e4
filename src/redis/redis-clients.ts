import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger';

/**
 * Redis clients by role. Request-path clients fail fast so a request answers SERVICE_UNAVAILABLE
 * instead of hanging while Redis is away; BullMQ worker clients wait forever, as BullMQ requires.
 * Every client reconnects by itself when Redis comes back.
 */
export type RedisRole = 'request' | 'subscriber' | 'worker';

const retryStrategy = (attempt: number): number => Math.min(250 * 2 ** Math.min(attempt, 5), 5_000);

export function createRedis(url: string, role: RedisRole, logger: Logger, name: string): Redis {
  const common: RedisOptions = {
    connectionName: name,
    lazyConnect: false,
    retryStrategy,
    connectTimeout: 5_000,
  };
  const byRole: Record<RedisRole, RedisOptions> = {
    request: { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5_000 },
    // A subscriber queues its SUBSCRIBE commands until connected, and resubscribes after a reconnect.
    subscriber: { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true },
    worker: { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null },
  };
  const client = new Redis(url, byRole[role]);
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn({ redis: name, err: { message: error.message } }, 'redis connection problem');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ redis: name }, 'redis connection restored');
    down = false;
  });
  return client;
}

/** Closes a client without waiting on a server that may be gone. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  } catch {
    client.disconnect();
  }
}
