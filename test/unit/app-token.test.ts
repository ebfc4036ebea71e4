import { bearerToken, hashToken, isWellFormedToken, issueToken, TOKEN_PREFIX } from '../../src/auth/app-token';

describe('app tokens', () => {
  it('have a fixed prefix, a 32-character random body and a checksum', () => {
    const { token, prefix, hash } = issueToken();
    expect(token).toMatch(/^byok_[0-9A-Za-z]{38}$/);
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(prefix).toBe(token.slice(0, 13));
    expect(hash.equals(hashToken(token))).toBe(true);
    expect(isWellFormedToken(token)).toBe(true);
  });

  it('are unique and spread over the whole alphabet', () => {
    const tokens = Array.from({ length: 2000 }, () => issueToken().token);
    expect(new Set(tokens).size).toBe(tokens.length);
    const seen = new Set(tokens.join('').slice(0));
    expect(seen.size).toBeGreaterThanOrEqual(62);
  });

  it('reject any single-character change through the checksum', () => {
    const { token } = issueToken();
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let rejected = 0;
    let tried = 0;
    for (let i = TOKEN_PREFIX.length; i < token.length; i += 1) {
      for (const c of alphabet) {
        if (c === token[i]) continue;
        tried += 1;
        if (!isWellFormedToken(token.slice(0, i) + c + token.slice(i + 1))) rejected += 1;
      }
    }
    expect(rejected).toBe(tried);
  });

  it('reject the wrong shape', () => {
    for (const bad of ['', 'byok_', 'byok_short', `ghp_${'a'.repeat(38)}`, `${issueToken().token}x`, ` ${issueToken().token}`]) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });

  it('store only a SHA-256 hash', () => {
    expect(hashToken('byok_x')).toHaveLength(32);
    expect(hashToken('byok_x').equals(hashToken('byok_y'))).toBe(false);
  });

  it('are read from a Bearer header only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc  ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(['Bearer abc'])).toBeUndefined();
  });
});
