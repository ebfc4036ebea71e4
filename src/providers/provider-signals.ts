/**
 * Reads what a provider's error says about itself: its codes, its human reason, and whether it means
 * "bad key" or "out of money". Shared by key tests and runtime-outcome counting, so both judge a
 * provider answer the same way.
 */

const INVALID_KEY_CODES = new Set([
  'invalid_api_key',
  'incorrect_api_key',
  'api_key_invalid',
  'api_key_expired',
  'invalid_key',
  'authentication_error',
  'invalid_authentication',
  'unauthenticated',
]);

const QUOTA_CODES = new Set([
  'insufficient_quota',
  'insufficient_balance',
  'billing_error',
  'billing_hard_limit_reached',
  'quota_exceeded',
  'credits_exhausted',
]);

const RATE_LIMIT_CODES = new Set(['rate_limit_exceeded', 'rate_limit_error', 'rate_limited', 'too_many_requests']);

const INVALID_KEY_TEXT =
  /\b(?:invalid|incorrect|unknown|bad|expired|revoked)\s+(?:x-)?api[ _-]?key\b|\bapi[ _-]?key\s+(?:is\s+)?(?:not valid|invalid|expired|revoked)\b|\bAPI_KEY_INVALID\b/i;

const QUOTA_TEXT = /\b(?:insufficient_quota|quota|billing|credits?|balance)\b/i;

/** Per-minute and per-second windows are rate limits even when the provider calls them a quota. */
const SHORT_WINDOW_TEXT = /Per(?:Minute|Second)|\bper[ -](?:minute|second)\b/;

/** Every code-like string in a provider's error body (`error.code`, `error.type`, Google's details reasons, ...), lowercased. */
export function errorCodes(body: unknown): string[] {
  const error = field(body, 'error');
  const details = field(error, 'details');
  const found = [field(error, 'code'), field(error, 'type'), field(error, 'status'), field(body, 'code'), field(body, 'type')];
  if (Array.isArray(details)) found.push(...details.map((detail) => field(detail, 'reason')));
  return found.filter((value): value is string => typeof value === 'string' && value.length > 0).map((value) => value.toLowerCase());
}

/** The provider's own human sentence, unscrubbed: callers pass it through `shortReason`. */
export function reasonText(body: unknown, rawText: string): string {
  const error = field(body, 'error');
  const candidates = [field(error, 'message'), error, field(body, 'message'), field(body, 'detail'), field(body, 'error_description')];
  const sentence = candidates.find((value): value is string => typeof value === 'string' && value.trim().length > 0);
  if (sentence) return sentence;
  if (body !== undefined) return '';
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(rawText);
  return title ? title[1] : rawText;
}

export function saysInvalidKey(codes: readonly string[], text: string): boolean {
  return codes.some((code) => INVALID_KEY_CODES.has(code)) || INVALID_KEY_TEXT.test(text);
}

/** For a 429 (or a 400 that is not about the key): has the money or quota run out, rather than the rate? */
export function saysQuotaExhausted(codes: readonly string[], text: string): boolean {
  if (codes.some((code) => QUOTA_CODES.has(code))) return true;
  if (codes.some((code) => RATE_LIMIT_CODES.has(code))) return false;
  if (SHORT_WINDOW_TEXT.test(text)) return false;
  return QUOTA_TEXT.test(text);
}

export function saysRateLimited(codes: readonly string[]): boolean {
  return codes.some((code) => RATE_LIMIT_CODES.has(code));
}

export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}
