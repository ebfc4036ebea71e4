import type { Redis } from 'ioredis';
import type { Logger } from '../logger';

type Listener = (event: CustomEvent) => void;
type ListenerOrObject = Listener | { handleEvent: Listener };

/**
 * An EventTarget whose events travel through Redis pub/sub, so whichever process publishes, every
 * process delivers to its own subscribers. Channels carry the deployment prefix; a publish while
 * Redis is away is logged and dropped (pub/sub is at-most-once and clients resync on reconnect),
 * never an unhandled rejection.
 */
export function createRedisEventTarget(options: {
  publisher: Redis;
  subscriber: Redis;
  prefix: string;
  logger: Logger;
}) {
  const { publisher, subscriber, logger } = options;
  const channelPrefix = `${options.prefix}:events:`;
  const listeners = new Map<string, Set<Listener>>();

  subscriber.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    const topic = channel.slice(channelPrefix.length);
    const callbacks = listeners.get(topic);
    if (!callbacks) return;
    let detail: unknown;
    try {
      detail = JSON.parse(message);
    } catch {
      logger.warn({ topic }, 'dropped an event that is not JSON');
      return;
    }
    const event = new CustomEvent(topic, { detail });
    for (const callback of callbacks) {
      try {
        callback(event);
      } catch (error) {
        logger.error({ err: error, topic }, 'event listener failed');
      }
    }
  });

  const toCallback = (listener: ListenerOrObject): Listener =>
    typeof listener === 'function' ? listener : listener.handleEvent;

  return {
    addEventListener(topic: string, listener: ListenerOrObject | null) {
      if (!listener) return;
      let callbacks = listeners.get(topic);
      if (!callbacks) {
        callbacks = new Set();
        listeners.set(topic, callbacks);
        subscriber.subscribe(channelPrefix + topic).catch((error: Error) => {
          logger.warn({ topic, err: { message: error.message } }, 'subscribe failed; ioredis retries on reconnect');
        });
      }
      callbacks.add(toCallback(listener));
    },
    removeEventListener(topic: string, listener: ListenerOrObject | null) {
      if (!listener) return;
      const callbacks = listeners.get(topic);
      if (!callbacks) return;
      callbacks.delete(toCallback(listener));
      if (callbacks.size > 0) return;
      listeners.delete(topic);
      subscriber.unsubscribe(channelPrefix + topic).catch(() => undefined);
    },
    dispatchEvent(event: CustomEvent) {
      const body = JSON.stringify(event.detail ?? null);
      publisher.publish(channelPrefix + event.type, body).catch((error: Error) => {
        logger.warn({ topic: event.type, err: { message: error.message } }, 'event not published: redis unavailable');
      });
      return true;
    },
    /** How many local listeners are attached; lets tests prove subscriptions clean up after themselves. */
    listenerCount(): number {
      let count = 0;
      for (const callbacks of listeners.values()) count += callbacks.size;
      return count;
    },
  };
}

export type RedisEventTarget = ReturnType<typeof createRedisEventTarget>;
