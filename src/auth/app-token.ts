import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * App tokens look like `byok_<32 base62 characters><6 base62 checksum characters>`.
 * The fixed prefix lets secret scanners find leaked tokens; the CRC32 checksum lets us (and them)
 * reject a mistyped or made-up token without a database lookup.
 */
export const TOKEN_PREFIX = 'byok_';
const BODY_LENGTH = 32; // 32 × log2(62) ≈ 190 bits of randomness
const CHECKSUM_LENGTH = 6;
const DISPLAY_LENGTH = TOKEN_PREFIX.length + 8;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TOKEN_PATTERN = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

function checksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i += 1) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export interface IssuedToken {
  readonly token: string;
  readonly hash: Buffer;
  readonly prefix: string;
}

export function issueToken(): IssuedToken {
  const body = randomBase62(BODY_LENGTH);
  const token = `${TOKEN_PREFIX}${body}${checksum(body)}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, DISPLAY_LENGTH) };
}

/** True when the token has our shape and its checksum matches; says nothing about whether it exists. */
export function isWellFormedToken(token: string): boolean {
  if (!TOKEN_PATTERN.test(token)) return false;
  const body = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + BODY_LENGTH);
  return token.slice(TOKEN_PREFIX.length + BODY_LENGTH) === checksum(body);
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Reads `Bearer <token>` (any case, surrounding space ignored); anything else yields undefined. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
