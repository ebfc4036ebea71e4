import {
  buildSchema,
  execute,
  type ExecutionResult,
  getOperationAST,
  GraphQLError,
  GraphQLScalarType,
  parse,
} from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { AppError, ErrorCode, toClientError } from '../../src/errors';
import { jitExecutor } from '../../src/graphql-executor';

const schema = buildSchema(`
  scalar DateTime
  enum Capability { WRITING CODING }
  type Item { id: ID! name: String! at: DateTime capability: Capability! missing: String! }
  type Query {
    items(capability: Capability!): [Item!]!
    item(at: DateTime): Item
    boom: String
    refused: String
    badEnum: Capability
  }
`);
// Internal enum values differ from their names, as type-graphql's do.
const capability = schema.getType('Capability') as unknown as { getValues(): { value: unknown; name: string }[] };
for (const value of capability.getValues()) value.value = value.name.toLowerCase();
Object.assign(schema.getType('DateTime') as GraphQLScalarType, {
  serialize: DateTimeResolver.serialize,
  parseValue: DateTimeResolver.parseValue,
  parseLiteral: DateTimeResolver.parseLiteral,
});

const at = new Date('2024-05-06T07:08:09.000Z');
const rootFields: Record<string, (args: Record<string, unknown>) => unknown> = {
  items: ({ capability: c }) => [
    { id: 1, name: 'a', at, capability: c },
    { id: 2, name: 'b', at: null, capability: 'coding' },
  ],
  item: ({ at: when }) => ({ id: 3, name: String((when as Date | undefined)?.toISOString()), at: when, capability: 'writing', missing: null }),
  boom: () => {
    throw new Error('database exploded');
  },
  refused: async () => {
    throw new AppError(ErrorCode.NOT_FOUND, 'Thing 1 was not found');
  },
  badEnum: () => 'nope',
};
for (const [name, resolve] of Object.entries(rootFields)) {
  schema.getQueryType()!.getFields()[name].resolve = (_root, args) => resolve(args);
}

async function both(query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  const viaJs = (await execute({ schema, document, variableValues: variables })) as ExecutionResult;
  const viaJit = await jitExecutor(schema)({
    source: query,
    document,
    operation,
    operationName: operation.name?.value ?? null,
    request: { query, variables },
    context: {},
  } as unknown as Parameters<ReturnType<typeof jitExecutor>>[0]);
  return { viaJs, viaJit };
}

/**
 * What a client would see, through Apollo's error enrichment (which reads `extensions.code`) and
 * the service's own mapping; with the kind of error the unexpected-error log would record.
 */
const client = (result: ExecutionResult) => {
  const logged: string[] = [];
  const errors = result.errors?.map((e) =>
    toClientError({ ...e.toJSON(), extensions: { ...e.extensions, code: e.extensions.code ?? 'INTERNAL_SERVER_ERROR' } }, e, (original) => {
      logged.push(`${(original as Error).constructor.name}: ${(original as Error).message}`);
      return 'r1';
    }),
  );
  return JSON.parse(JSON.stringify({ data: result.data, errors, logged }));
};

describe('the graphql-jit executor answers like graphql-js', () => {
  it.each([
    ['enums and custom scalars', '{ items(capability: WRITING) { id name at capability } }', undefined],
    ['enum and DateTime variables', 'query Q($c: Capability!, $at: DateTime) { items(capability: $c) { capability } item(at: $at) { name at } }', { c: 'CODING', at: '2024-01-02T03:04:05Z' }],
    ['a null in a non-null field, propagated to the nullable parent', '{ item { id missing } }', undefined],
    ['an unexpected resolver error', '{ boom }', undefined],
    ['an AppError', '{ refused items(capability: CODING) { id } }', undefined],
    ['a value the enum cannot represent', '{ badEnum }', undefined],
    ['a bad enum variable', 'query Q($c: Capability!) { items(capability: $c) { id } }', { c: 'POETRY' }],
    ['a missing variable', 'query Q($c: Capability!) { items(capability: $c) { id } }', {}],
    ['a bad DateTime variable', 'query Q($at: DateTime) { item(at: $at) { id } }', { at: 'yesterday' }],
    ['introspection', '{ __schema { queryType { name } } __type(name: "Capability") { enumValues { name } } }', undefined],
    ['__typename', '{ __typename items(capability: WRITING) { __typename } }', undefined],
  ] as [string, string, Record<string, unknown> | undefined][])('%s', async (_what, query, variables) => {
    const { viaJs, viaJit } = await both(query, variables);
    expect(client(viaJit)).toEqual(client(viaJs));
    expect('data' in viaJit).toBe('data' in viaJs);
    for (const error of viaJit.errors ?? []) expect(error).toBeInstanceOf(GraphQLError);
  });

  it('keeps the AppError as the originalError, so its code and message reach the client', async () => {
    const { viaJit } = await both('{ refused }');
    expect(client(viaJit).errors).toEqual([{ message: 'Thing 1 was not found', locations: [{ line: 1, column: 3 }], path: ['refused'], extensions: { code: 'NOT_FOUND' } }]);
  });

  it('compiles each distinct operation once and keeps at most the configured number', async () => {
    const executor = jitExecutor(schema, 2);
    const run = (query: string) => {
      const document = parse(query);
      return executor({ source: query, document, operation: getOperationAST(document)!, request: { query }, context: {} } as unknown as Parameters<typeof executor>[0]);
    };
    for (const query of ['{ boom }', '{ boom }', '{ badEnum }', '{ __typename }']) await run(query);
    expect(executor.cacheSize()).toBe(2);
  });
});
