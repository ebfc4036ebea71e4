import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { getOperationAST } from 'graphql';
import type { GraphQLContext } from '../context';
import { ErrorCode } from '../errors';
import { type Logger, requestScope } from '../logger';
import type { Metrics } from '../metrics/metrics';

/**
 * One JSON line and one metric sample per HTTP GraphQL request. The express middleware opens a
 * record, the Apollo plugin fills in what only Apollo knows (operation, workspace, error codes),
 * and the line is written when the response is done, so requests refused before Apollo's pipeline
 * (401, 429, body too large) are logged and counted too. Never the query text or the variables:
 * either may hold a provider key.
 */
interface RequestRecord {
  operationName?: string;
  operationType?: string;
  workspaceId?: string;
  appKeyId?: string;
  codes: string[];
}

const records = new AsyncLocalStorage<RequestRecord>();
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function codeOf(error: unknown): string {
  const code = (error as { extensions?: { code?: unknown } })?.extensions?.code;
  return typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR;
}

export function requestLogMiddleware(options: { logger: Logger; metrics: Metrics }): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const record: RequestRecord = { codes: [] };
    res.once('close', () => {
      const bodyName = (req.body as { operationName?: unknown } | undefined)?.operationName;
      const operation = record.operationName ?? (typeof bodyName === 'string' && IDENTIFIER.test(bodyName) ? bodyName : undefined);
      if (record.codes.length === 0 && res.statusCode >= 400) {
        record.codes.push(res.statusCode >= 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_REQUEST);
      }
      const codes = [...new Set(record.codes)];
      options.metrics.operationFinished({ name: operation, type: record.operationType, code: codes[0] });
      options.logger.info(
        {
          requestId: requestScope.getStore()?.requestId ?? res.getHeader('x-request-id'),
          operation: operation ?? null,
          operationType: record.operationType ?? null,
          workspaceId: record.workspaceId ?? null,
          appKeyId: record.appKeyId ?? null,
          status: res.statusCode,
          durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          codes,
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'graphql request',
      );
    });
    records.run(record, next);
  };
}

export function requestLogPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async contextCreationDidFail({ error }) {
      records.getStore()?.codes.push(codeOf(error));
    },
    async requestDidStart({ contextValue }) {
      const record = records.getStore();
      if (!record) return;
      record.workspaceId = contextValue.viewer?.workspaceId;
      record.appKeyId = contextValue.viewer?.appKeyId;
      return {
        async didResolveOperation({ operationName, operation }) {
          record.operationName = operationName ?? undefined;
          record.operationType = operation?.operation;
        },
        async willSendResponse({ response, document, request }) {
          // A document that parsed but failed validation still names its operation.
          const operation = record.operationType === undefined && document ? getOperationAST(document, request.operationName) : undefined;
          if (operation) {
            record.operationName ??= operation.name?.value;
            record.operationType = operation.operation;
          }
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) record.codes.push(codeOf(error));
        },
      };
    },
  };
}
