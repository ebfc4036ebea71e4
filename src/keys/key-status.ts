import { registerEnumType } from 'type-graphql';

/** UNTESTED → TESTING → PASSED | FAILED; creating or rotating a key starts again at UNTESTED. */
export enum KeyTestStatus {
  UNTESTED = 'UNTESTED',
  TESTING = 'TESTING',
  PASSED = 'PASSED',
  FAILED = 'FAILED',
}

/** Driven by runtime outcomes and test results; UNHEALTHY keys unlock nothing. */
export enum KeyHealth {
  HEALTHY = 'HEALTHY',
  DEGRADED = 'DEGRADED',
  UNHEALTHY = 'UNHEALTHY',
}

registerEnumType(KeyTestStatus, { name: 'KeyTestStatus' });
registerEnumType(KeyHealth, { name: 'KeyHealth' });
