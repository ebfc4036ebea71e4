import { registerEnumType } from 'type-graphql';

/** Why a key test ran. */
export enum TestTrigger {
  MANUAL = 'MANUAL',
  CREATED = 'CREATED',
  ROTATED = 'ROTATED',
  SCHEDULED = 'SCHEDULED',
  RECOVERY = 'RECOVERY',
}

registerEnumType(TestTrigger, { name: 'TestTrigger' });
