import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

/**
 * Any field with one of these names is replaced before a line is written, wherever it sits in the
 * object (two levels deep, plus arrays of objects), so a secret passed by mistake never reaches a log.
 */
const SECRET_FIELDS = [
  'apiKey',
  'api_key',
  'secret',
  'token',
  'password',
  'authorization',
  'Authorization',
  'cookie',
  'ciphertext',
  'plaintext',
  'variables',
];

export const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
  `*[*].${field}`,
  `*.*[*].${field}`,
  `req.headers.${field.toLowerCase()}`,
]);

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

export interface RequestScope {
  readonly requestId: string;
}

/** Carries the request id to code that has no context argument (error formatting, deep logs). */
export const requestScope = new AsyncLocalStorage<RequestScope>();
