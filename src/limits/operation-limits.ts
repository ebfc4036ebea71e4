import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getNullableType,
  type GraphQLSchema,
  isListType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { type ComplexityEstimator, fieldExtensionsEstimator, getComplexity } from 'graphql-query-complexity';
import { AppError, ErrorCode } from '../errors';

/**
 * Depth and complexity limits, checked once an operation is parsed and valid, for HTTP (an Apollo
 * plugin) and graphql-ws (onSubscribe) alike. Introspection fields are not counted: whether
 * introspection is allowed at all is its own setting.
 */
export interface OperationLimits {
  readonly maxDepth: number;
  readonly maxComplexity: number;
}

/** A list without a `first` argument is assumed to hold this many items. */
const ASSUMED_LIST_SIZE = 10;

/** Introspection is allowed or not by its own setting; its (deep, list-heavy) fields cost nothing here. */
const introspectionEstimator: ComplexityEstimator = ({ field }) => (field.name.startsWith('__') ? 0 : undefined);

/**
 * Each field costs 1 plus its selection, times the items it may return: `first`, or the assumed
 * list size. A connection's `first` already counts its edges, so the edges list is not multiplied
 * again (that would square the cost of every page).
 */
const listAwareEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const first = typeof args.first === 'number' && args.first >= 0 ? args.first : undefined;
  const returnsList = isListType(getNullableType(field.type));
  const pagedByConnection = returnsList && type.name.endsWith('Connection');
  const items = first ?? (returnsList && !pagedByConnection ? ASSUMED_LIST_SIZE : 1);
  return 1 + childComplexity * items;
};

export function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const depthOf = (selectionSet: SelectionSetNode | undefined, visiting: ReadonlySet<string>): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, visiting));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, visiting));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation refuses fragment cycles; the guard only keeps this walk finite regardless.
        if (fragment && !visiting.has(name)) deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...visiting, name])));
      }
    }
    return deepest;
  };
  return depthOf(operation.selectionSet, new Set());
}

/** The refusal for an operation over a limit, or undefined when it is within both. */
export function checkOperationLimits(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables?: Record<string, unknown> | null;
  limits: OperationLimits;
}): AppError | undefined {
  const { schema, document, operation, limits } = options;
  const depth = operationDepth(document, operation);
  if (depth > limits.maxDepth) {
    return tooComplex(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}. Select fewer nested levels.`, 'depth', limits.maxDepth, depth);
  }
  let complexity: number;
  try {
    complexity = getComplexity({
      schema,
      query: document,
      operationName: operation.name?.value,
      variables: options.variables ?? {},
      estimators: [introspectionEstimator, fieldExtensionsEstimator(), listAwareEstimator],
    });
  } catch {
    // Variables that do not coerce: execution answers that with its own, clearer error.
    return undefined;
  }
  if (complexity > limits.maxComplexity) {
    return tooComplex(
      `Query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}. Ask for fewer fields, or pass a smaller "first".`,
      'complexity',
      limits.maxComplexity,
      complexity,
    );
  }
  return undefined;
}

function tooComplex(message: string, measure: 'depth' | 'complexity', limit: number, actual: number): AppError {
  return new AppError(ErrorCode.QUERY_TOO_COMPLEX, message, { measure, limit, actual });
}
