import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { execute, getVariableValues, GraphQLError, type GraphQLSchema, printSchema } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/**
 * HTTP operations run through graphql-jit instead of graphql-js `execute`: the model picker answers
 * about a thousand objects, and graphql-js spends most of that request walking ~13,000 fields one
 * by one; a compiled query does the same work several times faster. Parsing, validation (including
 * the introspection switch) and every plugin hook stay with Apollo; resolvers, type-graphql's auth
 * checks and middlewares run unchanged. Subscriptions over graphql-ws keep using graphql-js.
 *
 * Apollo Server 4+ has no `executor` option; its `gateway` option is the supported way to plug one in.
 */
type Gateway = ApolloServerOptionsWithGateway<Record<string, unknown>>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** Distinct operations kept compiled; the oldest unused one is dropped first. */
export const COMPILED_QUERY_CACHE_SIZE = 1_000;

/** A Map keeps insertion order: re-inserting on a hit makes the first key the least recently used. */
class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** false: graphql-jit could not compile the document (e.g. an unknown operation name); graphql-js runs it. */
type Compiled = CompiledQuery | false;

export function jitExecutor(schema: GraphQLSchema, cacheSize = COMPILED_QUERY_CACHE_SIZE): Executor & { readonly cacheSize: () => number } {
  const cache = new LruCache<Compiled>(cacheSize);

  const executor: Executor = async ({ source, document, operation, request, context }) => {
    const operationName = request.operationName ?? undefined;
    const key = `${operationName ?? ''}\n${source}`;
    let compiled = cache.get(key);
    if (compiled === undefined) {
      const result = compileQuery(schema, document, operationName);
      compiled = isCompiledQuery(result) ? result : false;
      cache.set(key, compiled);
    }
    if (compiled === false) {
      return execute({ schema, document, contextValue: context, variableValues: request.variables, operationName });
    }
    // Variables are checked by graphql-js first, so a bad one is refused with its exact errors
    // (and Apollo's 400); graphql-jit then coerces the same raw values itself.
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, operation.variableDefinitions, request.variables ?? {}, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
    }
    const result = await compiled.query(undefined, context, request.variables);
    return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  };
  return Object.assign(executor, { cacheSize: () => cache.size });
}

/**
 * graphql-jit's errors are look-alikes of graphql-js's GraphQLError without its defaults (no
 * `extensions` object, which Apollo's error formatting reads), so each is rebuilt the way graphql-js
 * `locatedError` builds a field error. For a null in a non-null field graphql-js's originalError is
 * a plain Error (what the unexpected-error log records); graphql-jit gives none, so it gets one too.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const original = error.originalError;
  if (original instanceof GraphQLError && Array.isArray(original.path)) return original;
  const nullInNonNull = !original && error.path !== undefined && error.message.startsWith('Cannot return null for non-nullable field ');
  const located = new GraphQLError(error.message, {
    path: error.path,
    originalError: nullInNonNull ? new Error(error.message) : original,
  });
  // graphql-jit keeps the locations, not the AST nodes graphql-js would compute them from.
  if (error.locations) Object.defineProperty(located, 'locations', { value: error.locations, enumerable: true });
  return located;
}

/** The `gateway` Apollo expects: a fixed schema, executed by graphql-jit. */
export function jitGateway(schema: GraphQLSchema): Gateway {
  const executor = jitExecutor(schema);
  return {
    load: async () => ({ executor }),
    onSchemaLoadOrUpdate: (callback) => {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    stop: async () => {},
  };
}
