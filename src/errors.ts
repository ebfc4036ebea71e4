import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError, AuthenticationError, AuthorizationError } from 'type-graphql';

/** The closed set of codes a client can see in `extensions.code`. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  DUPLICATE_KEY: 'DUPLICATE_KEY',
  MODEL_LOCKED: 'MODEL_LOCKED',
  KEY_IN_USE: 'KEY_IN_USE',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** Apollo's own refusals of a request's shape (an operationName the document lacks, say): the caller's to fix. */
const APOLLO_REQUEST_CODES = new Set(['OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/** A refusal the caller can act on. The message is shown as is, so it must never hold a secret. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id: string): AppError =>
  new AppError(ErrorCode.NOT_FOUND, `${what} ${id} was not found`);

export const badInput = (message: string, field?: string): AppError =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : undefined);

/** Maps an error thrown while resolving to what the client sees; anything unexpected is hidden. */
export function toClientError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onUnexpected: (error: unknown) => string | undefined,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  // Refusals raised outside resolvers (context, limits) arrive wrapped in a GraphQLError.
  const appError = original instanceof AppError ? original : original instanceof GraphQLError && original.originalError instanceof AppError ? original.originalError : undefined;

  if (appError) {
    return { ...base, message: appError.message, extensions: { code: appError.code, ...appError.details } };
  }
  if (original instanceof AuthenticationError) {
    return {
      ...base,
      message: 'A valid app token is required: send "Authorization: Bearer <token>".',
      extensions: { code: ErrorCode.UNAUTHENTICATED },
    };
  }
  if (original instanceof AuthorizationError) {
    return {
      ...base,
      message: 'Your app token does not have a role allowed to do this.',
      extensions: { code: ErrorCode.FORBIDDEN },
    };
  }
  if (original instanceof ArgumentValidationError) {
    const problems = original.extensions.validationErrors as { property: string; constraints?: Record<string, string> }[];
    const message = problems
      .flatMap((p) => Object.values(p.constraints ?? {}).map((c) => c))
      .join('; ');
    return { ...base, message: message || 'Invalid input.', extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  // Errors raised by graphql-js itself (parse, validation, variable coercion) are safe to show.
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && APOLLO_REQUEST_CODES.has(code)) {
    return { ...base, extensions: { code: ErrorCode.BAD_REQUEST } };
  }
  if (typeof code === 'string' && KNOWN_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    return { ...base, extensions: { code } };
  }
  if (original instanceof GraphQLError && original.originalError === undefined && code === undefined) {
    return { ...base, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  const requestId = onUnexpected(original);
  return {
    ...base,
    message: `Internal error${requestId ? ` (request ${requestId})` : ''}. It has been logged.`,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
  };
}

/**
 * An AppError raised outside a resolver (context, limits), as the GraphQLError Apollo and graphql-ws
 * expect, carrying the HTTP status and headers it answers with; toClientError keeps its details.
 */
export function refusal(appError: AppError, status: number, headers: Record<string, string> = {}): GraphQLError {
  return new GraphQLError(appError.message, {
    originalError: appError,
    extensions: { code: appError.code, http: { status, headers: new Map(Object.entries(headers)) } },
  });
}
