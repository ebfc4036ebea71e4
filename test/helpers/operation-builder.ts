import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';

export type RootKind = 'query' | 'mutation' | 'subscription';

export interface RootField {
  readonly kind: RootKind;
  readonly field: GraphQLField<unknown, unknown>;
}

export function rootFields(schema: GraphQLSchema): RootField[] {
  const roots: [RootKind, ReturnType<GraphQLSchema['getQueryType']>][] = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([kind, type]) => (type ? Object.values(type.getFields()).map((field) => ({ kind, field })) : []));
}

/** A literal that passes validation for `type`; only required parts are filled in. */
function placeholder(type: GraphQLInputType): string {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return `[${placeholder(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${fields.map((f) => `${f.name}: ${placeholder(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return '1';
      case 'Float':
        return '1.5';
      case 'Boolean':
        return 'true';
      case 'DateTime':
        return '"2026-01-01T00:00:00Z"';
      case 'JSON':
        return '{}';
      default:
        return '"00000000-0000-4000-8000-000000000000"';
    }
  }
  throw new Error(`no placeholder for ${String(type)}`);
}

function selection(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  return isObjectType(named) ? ' { __typename }' : '';
}

/** The smallest valid operation that calls one root field. */
export function operationFor({ kind, field }: RootField): string {
  const args = field.args
    .filter((arg: GraphQLArgument) => isNonNullType(arg.type) && arg.defaultValue === undefined)
    .map((arg) => `${arg.name}: ${placeholder(arg.type)}`);
  const call = args.length ? `${field.name}(${args.join(', ')})` : field.name;
  return `${kind} { ${call}${selection(field.type)} }`;
}
