import { registerEnumType } from 'type-graphql';

/** Why a key test (or a runtime call) failed, as PROVIDERS.md classifies provider answers. */
export enum KeyErrorCode {
  INVALID_KEY = 'INVALID_KEY',
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  RATE_LIMITED = 'RATE_LIMITED',
  PROVIDER_ERROR = 'PROVIDER_ERROR',
  TIMEOUT = 'TIMEOUT',
  NETWORK_ERROR = 'NETWORK_ERROR',
  ENDPOINT_BLOCKED = 'ENDPOINT_BLOCKED',
  INCOMPATIBLE_ENDPOINT = 'INCOMPATIBLE_ENDPOINT',
}

registerEnumType(KeyErrorCode, { name: 'KeyErrorCode' });
