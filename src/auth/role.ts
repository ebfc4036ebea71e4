import { registerEnumType } from 'type-graphql';

export enum Role {
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
  SERVICE = 'SERVICE',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'ADMIN manages keys, providers, app keys and reads the audit trail; MEMBER reads the key table, runs tests and selects models; SERVICE resolves models and reports runtime outcomes.',
});
