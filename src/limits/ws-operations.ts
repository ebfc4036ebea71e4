import {
  type DocumentNode,
  type ExecutionArgs,
  getOperationAST,
  GraphQLError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { Context, OperationResult, SubscribePayload } from 'graphql-ws';
import type { Viewer } from '../auth/viewer';
import { AppError, ErrorCode, refusal } from '../errors';
import type { Metrics } from '../metrics/metrics';
import { checkOperationLimits, type OperationLimits } from './operation-limits';
import { type RateLimiter, rateLimited } from './rate-limiter';

/**
 * The same limits for operations over graphql-ws as for HTTP (rate, depth, complexity,
 * introspection), plus a cap on operations open at once on one socket, the active-subscriptions
 * gauge and the operations counter. Each socket's bookkeeping hangs off its graphql-ws context.
 */
export interface WsOperationOptions {
  readonly schema: GraphQLSchema;
  readonly limits: OperationLimits;
  readonly introspection: boolean;
  readonly maxOperationsPerSocket: number;
  readonly rateLimiter: RateLimiter;
  readonly metrics: Metrics;
}

type WsContext = Context<Record<string, unknown>, { viewer?: Viewer }>;

interface OperationState {
  name?: string;
  type?: string;
  code?: string;
  live: boolean;
}

export function wsOperationHooks(options: WsOperationOptions) {
  const { schema, limits, metrics } = options;
  const rules = options.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const sockets = new WeakMap<WsContext, Map<string, OperationState>>();
  const operationsOf = (ctx: WsContext) => {
    let operations = sockets.get(ctx);
    if (!operations) sockets.set(ctx, (operations = new Map()));
    return operations;
  };

  const finish = (ctx: WsContext, id: string, code?: string) => {
    const operations = operationsOf(ctx);
    const state = operations.get(id);
    if (!state) return;
    operations.delete(id);
    if (state.live) metrics.subscriptionClosed();
    metrics.operationFinished({ name: state.name, type: state.type, code: code ?? state.code });
  };

  const prepare = async (ctx: WsContext, id: string, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    const open = Object.keys(ctx.subscriptions).length;
    if (open > options.maxOperationsPerSocket) {
      const message = `This socket already has ${open - 1} operations open; the limit is ${options.maxOperationsPerSocket} (MAX_SUBSCRIPTIONS_PER_SOCKET). Complete one, or open another socket.`;
      return [refusal(new AppError(ErrorCode.RATE_LIMITED, message, { limit: options.maxOperationsPerSocket }), 429)];
    }
    const viewer = ctx.extra.viewer;
    if (viewer) {
      const decision = await options.rateLimiter.take(viewer.appKeyId);
      if (!decision.allowed) return [rateLimited(options.rateLimiter.perMinute, decision.retryAfterSeconds)];
    }
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (error) {
      return [new GraphQLError((error as Error).message, { extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } })];
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0) {
      return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } }));
    }
    const operation = getOperationAST(document, payload.operationName);
    if (operation) {
      const state = operationsOf(ctx).get(id)!;
      state.type = operation.operation;
      state.name ??= operation.name?.value;
      const tooComplex = checkOperationLimits({ schema, document, operation, variables: payload.variables, limits });
      if (tooComplex) return [refusal(tooComplex, 400)];
    }
    return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
  };

  return {
    onSubscribe: async (ctx: WsContext, id: string, payload: SubscribePayload) => {
      operationsOf(ctx).set(id, { name: payload.operationName ?? undefined, live: false });
      return prepare(ctx, id, payload);
    },
    onOperation: (ctx: WsContext, id: string, _payload: SubscribePayload, _args: ExecutionArgs, result: OperationResult) => {
      const state = operationsOf(ctx).get(id);
      if (state && !state.live && Symbol.asyncIterator in Object(result)) {
        state.live = true;
        metrics.subscriptionOpened();
      }
    },
    /** Remembers the first error code an operation answered with. */
    onNextErrors: (ctx: WsContext, id: string, errors: readonly { extensions?: { code?: unknown } }[]) => {
      const state = operationsOf(ctx).get(id);
      const code = errors[0]?.extensions?.code;
      if (state && state.code === undefined && typeof code === 'string') state.code = code;
    },
    onError: (ctx: WsContext, id: string, errors: readonly { extensions?: { code?: unknown } }[]) => {
      const code = errors[0]?.extensions?.code;
      finish(ctx, id, typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR);
    },
    onComplete: (ctx: WsContext, id: string) => finish(ctx, id),
    /** Operations still open when the socket goes away end with it. */
    onClose: (ctx: WsContext) => {
      for (const id of [...operationsOf(ctx).keys()]) finish(ctx, id);
    },
  };
}
