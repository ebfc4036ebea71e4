import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger';

/** A real pino logger (with the production redaction) writing into memory, so tests can read every line. */
export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: string[];
  text(): string;
}

export function captureLogs(level: 'debug' | 'info' | 'trace' = 'debug'): CapturedLogs {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, stream), lines, text: () => lines.join('\n') };
}
