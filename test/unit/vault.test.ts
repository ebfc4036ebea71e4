import type { KeyringEntry } from '../../src/config';
import { Vault, VaultError, keyringVersionOf } from '../../src/secrets/vault';

const entry = (version: number, fill: number): KeyringEntry => ({ version, key: Buffer.alloc(32, fill) });
const binding = { workspaceId: '11111111-1111-4111-8111-111111111111', keyId: '22222222-2222-4222-8222-222222222222', secretVersion: 1 };
const SECRET = 'sk-proj-Canary0123456789abcdefghijklmnop';

describe('Vault (AES-256-GCM)', () => {
  const vault = new Vault([entry(1, 1)]);

  it('round-trips and records the keyring version', () => {
    const sealed = vault.seal(SECRET, binding);
    expect(keyringVersionOf(sealed)).toBe(1);
    expect(vault.open(sealed, binding)).toBe(SECRET);
    expect(sealed.toString('latin1')).not.toContain(SECRET);
    expect(sealed.toString('latin1')).not.toContain(SECRET.slice(8, 16));
  });

  it('uses a fresh 96-bit nonce every time', () => {
    const a = vault.seal(SECRET, binding);
    const b = vault.seal(SECRET, binding);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(5, 17).equals(b.subarray(5, 17))).toBe(false);
    expect(a.length).toBe(1 + 4 + 12 + 16 + Buffer.byteLength(SECRET));
  });

  it.each([
    ['the ciphertext', (s: Buffer) => s.length - 1],
    ['the tag', () => 1 + 4 + 12],
    ['the nonce', () => 1 + 4],
  ])('refuses a ciphertext with a flipped bit in %s', (_part, offset) => {
    const sealed = vault.seal(SECRET, binding);
    sealed[offset(sealed)] ^= 0x01;
    expect(() => vault.open(sealed, binding)).toThrow(VaultError);
    expect(() => vault.open(sealed, binding)).toThrow(/altered/);
  });

  it.each([
    ['another key id', { ...binding, keyId: '33333333-3333-4333-8333-333333333333' }],
    ['another workspace', { ...binding, workspaceId: '44444444-4444-4444-8444-444444444444' }],
    ['an older secret version', { ...binding, secretVersion: 2 }],
  ])('refuses a ciphertext moved to %s', (_case, other) => {
    const sealed = vault.seal(SECRET, binding);
    expect(() => vault.open(sealed, other)).toThrow(/does not belong to this key/);
  });

  it('names a keyring version it does not have, without garbage', () => {
    const sealed = new Vault([entry(7, 7)]).seal(SECRET, binding);
    expect(() => vault.open(sealed, binding)).toThrow(/keyring version 7, which SECRETS_KEYRING does not list/);
  });

  it('refuses bytes that are not a sealed secret', () => {
    expect(() => vault.open(Buffer.from('plain text'), binding)).toThrow(/format/);
  });

  it('encrypts with the first entry and decrypts with any', () => {
    const old = new Vault([entry(1, 1)]).seal(SECRET, binding);
    const rotated = new Vault([entry(2, 2), entry(1, 1)]);
    expect(rotated.open(old, binding)).toBe(SECRET);
    expect(rotated.needsRewrap(old)).toBe(true);
    const fresh = rotated.seal(SECRET, binding);
    expect(keyringVersionOf(fresh)).toBe(2);
    expect(rotated.needsRewrap(fresh)).toBe(false);
  });

  it('fingerprints per provider, and finds a pre-rotation fingerprint among the candidates', () => {
    const v1 = new Vault([entry(1, 1)]);
    const v2 = new Vault([entry(2, 2), entry(1, 1)]);
    const stored = v1.fingerprint('provider-a', SECRET);
    expect(v1.fingerprint('provider-b', SECRET).equals(stored)).toBe(false);
    expect(v2.fingerprint('provider-a', SECRET).equals(stored)).toBe(false);
    expect(v2.fingerprintCandidates('provider-a', SECRET).some((c) => c.equals(stored))).toBe(true);
    expect(stored.toString('latin1')).not.toContain(SECRET.slice(0, 8));
  });
});
