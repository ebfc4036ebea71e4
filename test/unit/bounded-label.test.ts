import { BoundedLabel, oneOf } from '../../src/metrics/bounded-label';
import { credentialFrom, matchesSecret } from '../../src/auth/shared-secret';

describe('BoundedLabel', () => {
  it('keeps identifiers, names a missing value, and sends anything else to "other"', () => {
    const label = new BoundedLabel(10, 20);
    expect(label.of('WhoAmI')).toBe('WhoAmI');
    expect(label.of(undefined)).toBe('anonymous');
    expect(label.of('sk-live-1234')).toBe('other');
    expect(label.of('x'.repeat(21))).toBe('other');
    expect(label.of('has space')).toBe('other');
  });

  it('caps the number of distinct values', () => {
    const label = new BoundedLabel(3);
    expect(['A', 'B', 'C', 'D', 'A'].map((v) => label.of(v))).toEqual(['A', 'B', 'C', 'other', 'A']);
  });

  it('oneOf admits only a closed set', () => {
    expect(oneOf('query', ['query'])).toBe('query');
    expect(oneOf('weird', ['query'])).toBe('other');
  });
});

describe('operator credentials', () => {
  it('reads Bearer and the password of Basic', () => {
    expect(credentialFrom('Bearer abc')).toBe('abc');
    expect(credentialFrom(`Basic ${Buffer.from('anyone:s3cret:with:colons').toString('base64')}`)).toBe('s3cret:with:colons');
    expect(credentialFrom(`Basic ${Buffer.from('user:').toString('base64')}`)).toBeUndefined();
    expect(credentialFrom('Digest x')).toBeUndefined();
    expect(credentialFrom(undefined)).toBeUndefined();
  });

  it('compares secrets of any length without throwing', () => {
    expect(matchesSecret('a'.repeat(30), 'a'.repeat(30))).toBe(true);
    expect(matchesSecret('a', 'a'.repeat(30))).toBe(false);
    expect(matchesSecret(undefined, 'x')).toBe(false);
    expect(matchesSecret('x', undefined)).toBe(false);
  });
});
