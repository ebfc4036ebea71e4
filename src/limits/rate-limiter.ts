import type { Redis } from 'ioredis';
import { AppError, ErrorCode, refusal } from '../errors';
import type { Logger } from '../logger';

const WINDOW_MS = 60_000;
/** While Redis is away, warn at most this often instead of once per request. */
const WARN_EVERY_MS = 30_000;

/**
 * INCR and the first PEXPIRE in one step, so a crash between them can never leave a counter without
 * an expiry (which would lock the token out for good). Answers the count and the window's time left.
 */
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A fixed one-minute window per app key, shared by every api process through Redis. Keyed by the
 * app key id, never by the token. Fails open: losing Redis must not take the API down with it.
 */
export class RateLimiter {
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: { perMinute: number; prefix: string; logger: Logger },
  ) {}

  get perMinute(): number {
    return this.options.perMinute;
  }

  get enabled(): boolean {
    return this.options.perMinute > 0;
  }

  async take(appKeyId: string): Promise<RateDecision> {
    if (!this.enabled) return { allowed: true };
    try {
      const [count, ttlMs] = (await this.redis.eval(INCREMENT, 1, this.keyOf(appKeyId), WINDOW_MS)) as [number, number];
      if (count <= this.options.perMinute) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
    } catch (error) {
      const now = Date.now();
      if (now - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = now;
        this.options.logger.warn({ err: { message: (error as Error).message } }, 'rate limiter cannot reach Redis: letting requests through');
      }
      return { allowed: true };
    }
  }

  /** Throws the RATE_LIMITED refusal (HTTP 429 with Retry-After) when the app key is over its limit. */
  async enforce(appKeyId: string): Promise<void> {
    const decision = await this.take(appKeyId);
    if (!decision.allowed) throw rateLimited(this.options.perMinute, decision.retryAfterSeconds);
  }

  keyOf(appKeyId: string): string {
    return `${this.options.prefix}:ratelimit:${appKeyId}`;
  }
}

export function rateLimited(perMinute: number, retryAfterSeconds: number) {
  const error = new AppError(
    ErrorCode.RATE_LIMITED,
    `Rate limit of ${perMinute} requests per minute for this app token reached. Retry in ${retryAfterSeconds} s.`,
    { retryAfterSeconds },
  );
  return refusal(error, 429, { 'retry-after': String(retryAfterSeconds) });
}
