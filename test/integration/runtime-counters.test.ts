import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RuntimeHealthSettings } from '../../src/config';
import { type CountedCall, RuntimeCounters } from '../../src/runtime/runtime-counters';
import { waitUntil } from '../helpers/processes';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/test-env';

/** The Lua counters on their own, against the real Redis: retries, the window edge, stale 429s. */
describe('runtime counters', () => {
  const settings: RuntimeHealthSettings = { rateLimitCooldownMs: 60_000, failureThreshold: 5, failureRatio: 0.5, minCalls: 10, failureWindowMs: 1_000 };
  const prefix = uniquePrefix('counters');
  let redis: Redis;
  let counters: RuntimeCounters;
  const calls = (kind: CountedCall['kind'], count: number, at = Date.now()): CountedCall[] => Array.from({ length: count }, () => ({ kind, at }));

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
    counters = new RuntimeCounters(redis, prefix, settings);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a retried job counts nothing twice and hands back the transition until it is settled', async () => {
    const keyId = randomUUID();
    const first = await counters.apply('job-1', keyId, 1, calls('transient', 5));
    expect(first.counted).toBe(true);
    expect(first.transition).toMatchObject({ from: 'HEALTHY', to: 'UNHEALTHY', reason: 'consecutive_failures', counts: { consecutiveFailures: 5 } });

    const retry = await counters.apply('job-1', keyId, 1, calls('transient', 5));
    expect(retry.counted).toBe(false);
    expect(retry.transition?.id).toBe(first.transition!.id);
    expect(await counters.read(keyId, 1)).toMatchObject({ consecutiveFailures: 5, windowCalls: 5 });

    await counters.settle(keyId, 1, first.transition!.id);
    expect((await counters.apply('job-2', keyId, 1, calls('transient', 1))).transition).toBeUndefined();
    expect(await counters.read(keyId, 1)).toMatchObject({ state: 'UNHEALTHY', consecutiveFailures: 6 });
  });

  it('settling an older transition keeps a newer one', async () => {
    const keyId = randomUUID();
    const degraded = await counters.apply('a', keyId, 1, calls('rate_limited', 1));
    const unhealthy = await counters.apply('b', keyId, 1, calls('quota_exceeded', 1));
    expect([degraded.transition?.to, unhealthy.transition?.to]).toEqual(['DEGRADED', 'UNHEALTHY']);
    await counters.settle(keyId, 1, degraded.transition!.id);
    expect((await counters.apply('c', keyId, 1, [])).transition).toMatchObject({ id: unhealthy.transition!.id, to: 'UNHEALTHY', reason: 'quota_exceeded' });
  });

  it('calls older than the window count toward the consecutive rule only, and counted calls leave the window', async () => {
    const keyId = randomUUID();
    const old = Date.now() - 10 * settings.failureWindowMs;
    await counters.apply(randomUUID(), keyId, 1, [...calls('success', 5, old), ...calls('transient', 4, old)]);
    expect(await counters.read(keyId, 1)).toMatchObject({ consecutiveFailures: 4, windowCalls: 0, windowFailures: 0, state: 'HEALTHY' });

    await counters.apply(randomUUID(), keyId, 1, [...calls('success', 9), ...calls('transient', 1)]);
    expect(await counters.read(keyId, 1)).toMatchObject({ consecutiveFailures: 1, windowCalls: 10, windowFailures: 1 });
    await waitUntil(
      async () => {
        await counters.apply(randomUUID(), keyId, 1, []);
        return (await counters.read(keyId, 1)).windowCalls === 0;
      },
      10_000,
      'the calls to leave the window',
    );
    expect(await counters.read(keyId, 1)).toMatchObject({ windowFailures: 0, consecutiveFailures: 1 });
  });

  it('a 429 older than the cooldown degrades nothing; the cooldown runs from the latest 429', async () => {
    const keyId = randomUUID();
    const stale = await counters.apply(randomUUID(), keyId, 1, calls('rate_limited', 1, Date.now() - 2 * settings.rateLimitCooldownMs));
    expect(stale.transition).toBeUndefined();

    const at = Date.now() - 1_000;
    const fresh = await counters.apply(randomUUID(), keyId, 1, [...calls('rate_limited', 1, at - 5_000), ...calls('rate_limited', 1, at)]);
    expect(fresh.transition).toMatchObject({ to: 'DEGRADED', reason: 'rate_limited', episode: 1, cooldownUntil: at + settings.rateLimitCooldownMs });
    const ending = await counters.endCooldown(keyId, 1, 1);
    expect(ending.waitUntil).toBe(at + settings.rateLimitCooldownMs);
    // A job of an earlier episode, or another version, ends nothing.
    expect(await counters.endCooldown(keyId, 1, 0)).toMatchObject({ waitUntil: undefined });
    expect((await counters.read(keyId, 1)).state).toBe('DEGRADED');
    expect(await redis.pttl(counters.stateKey(keyId, 1))).toBe(-1);
  });

  it('counters of one secret version are not those of the next', async () => {
    const keyId = randomUUID();
    await counters.apply(randomUUID(), keyId, 1, calls('transient', 3));
    expect(await counters.read(keyId, 2)).toMatchObject({ consecutiveFailures: 0, windowCalls: 0 });
    await counters.clear(keyId, 1);
    expect(await counters.read(keyId, 1)).toMatchObject({ state: 'HEALTHY', consecutiveFailures: 0, windowCalls: 0 });
  });
});
