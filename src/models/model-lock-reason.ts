import { registerEnumType } from 'type-graphql';

/**
 * Why a model is grey in the picker. With several keys for its provider, the most hopeful reason
 * wins, in this order: a usable key exists but does not list it; a key passed but is unhealthy; a
 * key is not tested yet; a key failed its test; there is no key.
 */
export enum ModelLockReason {
  NO_KEY = 'NO_KEY',
  KEY_UNTESTED = 'KEY_UNTESTED',
  KEY_FAILED = 'KEY_FAILED',
  KEY_UNHEALTHY = 'KEY_UNHEALTHY',
  NOT_IN_KEY_LISTING = 'NOT_IN_KEY_LISTING',
}

registerEnumType(ModelLockReason, { name: 'ModelLockReason' });
