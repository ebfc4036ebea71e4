import type { Redis } from 'ioredis';

/**
 * A fixed one-second window per provider, shared by every worker process through Redis, so a
 * sweep of thousands of keys never hammers one provider. INCR and PEXPIRE run in one MULTI.
 */
export class ProviderRateLimit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perSecond: number,
  ) {}

  /** 0 when the call may go now, else how many milliseconds to wait. */
  async delayFor(providerId: string): Promise<number> {
    const second = Math.floor(Date.now() / 1000);
    const key = `${this.prefix}:ratelimit:key-tests:${providerId}:${second}`;
    const results = await this.redis.multi().incr(key).pexpire(key, 2_000).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (count <= this.perSecond) return 0;
    // Spread the overflow over the next seconds instead of stampeding the next window.
    const secondsAhead = Math.ceil((count - this.perSecond) / this.perSecond);
    return (second + secondsAhead) * 1000 - Date.now() + Math.floor(Math.random() * 200);
  }
}
