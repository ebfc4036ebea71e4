import { Redis } from 'ioredis';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/test-env';
import { ProviderRateLimit } from '../../workers/provider-rate-limit';

/** TEST_RATE_LIMIT_PER_PROVIDER: one window per provider, shared through Redis by every worker. */
describe('per-provider key-test rate limit', () => {
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(() => redis.quit());

  it('lets the configured number of tests per second through, delays the rest, and keeps providers apart', async () => {
    const prefix = uniquePrefix('ratelimit');
    // Two "workers" sharing one Redis count against the same window.
    const a = new ProviderRateLimit(redis, prefix, 3);
    const other = redis.duplicate();
    const b = new ProviderRateLimit(other, prefix, 3);
    // Start at the beginning of a second, so the window does not roll over mid-test.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    const delays = await Promise.all([a, b, a, b, a, b].map((limit) => limit.delayFor('provider-1')));
    expect(delays.filter((d) => d === 0)).toHaveLength(3);
    for (const delay of delays.filter((d) => d > 0)) {
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(2_200);
    }
    expect(await a.delayFor('provider-2')).toBe(0);
    // Windows expire by themselves: nothing piles up in Redis.
    const keys = await redis.keys(`${prefix}:ratelimit:*`);
    expect(keys.length).toBe(2);
    for (const ttl of await Promise.all(keys.map((key) => redis.pttl(key)))) {
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2_000);
    }
    await other.quit();
  });
});
