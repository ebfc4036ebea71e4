import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { KeyringEntry } from '../config';

/**
 * AES-256-GCM envelope for provider keys.
 *
 * Sealed layout: [format 0x01][keyring version, uint32 BE][nonce, 12 bytes][tag, 16 bytes][ciphertext].
 * The additional authenticated data binds the ciphertext to its workspace, key id and secret
 * version, so a ciphertext copied to another row (or kept from before a rotation) fails to open.
 */
const FORMAT = 0x01;
const HEADER_LENGTH = 1 + 4;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;

export interface SecretBinding {
  readonly workspaceId: string;
  readonly keyId: string;
  readonly secretVersion: number;
}

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

function additionalData(binding: SecretBinding): Buffer {
  return Buffer.from(`byok/provider-key/v1|${binding.workspaceId}|${binding.keyId}|${binding.secretVersion}`, 'utf8');
}

export class Vault {
  private readonly byVersion: ReadonlyMap<number, Buffer>;
  private readonly fingerprintKeys: ReadonlyMap<number, Buffer>;
  private readonly primary: KeyringEntry;

  constructor(keyring: readonly KeyringEntry[]) {
    if (keyring.length === 0) throw new VaultError('The keyring is empty.');
    this.primary = keyring[0];
    this.byVersion = new Map(keyring.map((entry) => [entry.version, entry.key]));
    // A separate key per purpose: the fingerprint key never encrypts, the encryption key never MACs.
    this.fingerprintKeys = new Map(
      keyring.map((entry) => [entry.version, Buffer.from(hkdfSync('sha256', entry.key, 'byok', 'provider-key-fingerprint', 32))]),
    );
  }

  get primaryVersion(): number {
    return this.primary.version;
  }

  seal(plaintext: string, binding: SecretBinding): Buffer {
    const nonce = randomBytes(NONCE_LENGTH);
    const cipher = createCipheriv('aes-256-gcm', this.primary.key, nonce, { authTagLength: TAG_LENGTH });
    cipher.setAAD(additionalData(binding));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const header = Buffer.alloc(HEADER_LENGTH);
    header.writeUInt8(FORMAT, 0);
    header.writeUInt32BE(this.primary.version, 1);
    return Buffer.concat([header, nonce, cipher.getAuthTag(), body]);
  }

  /** The plaintext, or a VaultError that says why (never garbage, never the secret). */
  open(sealed: Buffer, binding: SecretBinding): string {
    const version = keyringVersionOf(sealed);
    const key = this.byVersion.get(version);
    if (!key) {
      throw new VaultError(
        `The secret was sealed with keyring version ${version}, which SECRETS_KEYRING does not list. Add that version back (after the current one) to read it.`,
      );
    }
    const nonce = sealed.subarray(HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH);
    const tag = sealed.subarray(HEADER_LENGTH + NONCE_LENGTH, HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH);
    const body = sealed.subarray(HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
      decipher.setAAD(additionalData(binding));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultError(
        'The stored secret does not belong to this key or was altered (authentication failed). Re-enter the key.',
      );
    }
  }

  /** True when the secret is sealed under an older keyring version than the current one. */
  needsRewrap(sealed: Buffer): boolean {
    return keyringVersionOf(sealed) !== this.primary.version;
  }

  /** The fingerprint stored with a new secret: under the current keyring version. */
  fingerprint(providerId: string, secret: string): Buffer {
    return hmac(this.fingerprintKeys.get(this.primary.version)!, providerId, secret);
  }

  /**
   * Fingerprints under every keyring version, so a duplicate is found even among rows whose
   * fingerprints were computed before a rotation and not yet rewrapped.
   */
  fingerprintCandidates(providerId: string, secret: string): Buffer[] {
    return [...this.fingerprintKeys.values()].map((key) => hmac(key, providerId, secret));
  }
}

function hmac(key: Buffer, providerId: string, secret: string): Buffer {
  return createHmac('sha256', key).update(providerId).update('\0').update(secret, 'utf8').digest();
}

export function keyringVersionOf(sealed: Buffer): number {
  if (sealed.length < HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH || sealed.readUInt8(0) !== FORMAT) {
    throw new VaultError('The stored secret is not in a format this version understands.');
  }
  return sealed.readUInt32BE(1);
}
