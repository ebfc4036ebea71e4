import { registerEnumType } from 'type-graphql';

/** ACTIVE: the chosen model is available. FALLBACK: a fallback stands in. BLOCKED: nothing is available. */
export enum SelectionStatus {
  ACTIVE = 'ACTIVE',
  FALLBACK = 'FALLBACK',
  BLOCKED = 'BLOCKED',
}

registerEnumType(SelectionStatus, { name: 'SelectionStatus' });
