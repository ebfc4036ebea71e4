import { Queue, type ConnectionOptions } from 'bullmq';

/** Queue names. A queue's jobs carry ids only, never a secret. */
export const QueueName = {} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** BullMQ keys live under `<REDIS_PREFIX>:bull`, beside everything else of this deployment. */
export const bullPrefix = (redisPrefix: string): string => `${redisPrefix}:bull`;

export function createQueue<T>(name: string, connection: ConnectionOptions, redisPrefix: string): Queue<T> {
  return new Queue<T>(name, { connection, prefix: bullPrefix(redisPrefix) });
}
