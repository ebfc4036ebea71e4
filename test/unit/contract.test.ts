import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';

/**
 * The public contract (schema/contract.graphql, a copy of shared/API.graphql) names root fields,
 * types, enum values and arguments that clients are written against. The emitted schema may add
 * to it, never break it: no missing type, field, argument or enum value, no changed type.
 */
describe('the public contract', () => {
  const read = (file: string) => readFileSync(join(__dirname, '..', '..', 'schema', file), 'utf8');

  it('is not broken by the schema the code emits', () => {
    const contract = buildSchema(read('contract.graphql'));
    const emitted = buildSchema(read('schema.graphql'));
    const breaking = findBreakingChanges(contract, emitted).map((change) => `${change.type}: ${change.description}`);
    expect(breaking).toEqual([]);
  });
});
