import { createPubSub } from '@graphql-yoga/subscription';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { closeRedis, createRedis } from '../redis/redis-clients';
import { createRedisEventTarget, type RedisEventTarget } from './redis-event-target';

/** Topic names. Workspace-scoped topics are published and subscribed with the workspace id. */
export const Topic = {
  APP_KEY_REVOKED: 'appKeyRevoked',
  KEY_STATUS_CHANGED: 'keyStatusChanged',
  MODEL_AVAILABILITY_CHANGED: 'modelAvailabilityChanged',
  MODEL_SELECTION_CHANGED: 'modelSelectionChanged',
} as const;

export interface AppKeyRevokedEvent {
  readonly appKeyId: string;
  readonly workspaceId: string;
}

export interface EventBus {
  /** type-graphql's pubSub: subscriptions subscribe through it, services publish through it. */
  readonly pubSub: ReturnType<typeof createPubSub>;
  readonly target: RedisEventTarget;
  close(): Promise<void>;
}

export function createEventBus(options: { redisUrl: string; prefix: string; logger: Logger; name: string }): EventBus {
  const publisher: Redis = createRedis(options.redisUrl, 'request', options.logger, `${options.name}:publish`);
  const subscriber: Redis = createRedis(options.redisUrl, 'subscriber', options.logger, `${options.name}:subscribe`);
  const target = createRedisEventTarget({ publisher, subscriber, prefix: options.prefix, logger: options.logger });
  return {
    pubSub: createPubSub({ eventTarget: target as never }),
    target,
    async close() {
      await Promise.all([closeRedis(publisher), closeRedis(subscriber)]);
    },
  };
}
