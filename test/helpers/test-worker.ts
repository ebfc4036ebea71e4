import { loadConfig } from '../../src/config';
import { createWorkerApp, type WorkerApp, type WorkerOptions } from '../../workers/worker-app';
import { captureLogs, type CapturedLogs } from './log-capture';
import type { TestDatabase } from './test-database';
import { testEnv } from './test-env';

export interface TestWorker {
  readonly app: WorkerApp;
  readonly logs: CapturedLogs;
  stop(): Promise<void>;
}

/** The real worker in-process, on a test's database and Redis prefix (share them with its api). */
export async function startTestWorker(
  database: TestDatabase,
  redisPrefix: string,
  env: Record<string, string> = {},
  options: Omit<WorkerOptions, 'logger'> = {},
): Promise<TestWorker> {
  const logs = captureLogs();
  const app = createWorkerApp(loadConfig(testEnv(database.url, redisPrefix, env)), { ...options, logger: logs.logger });
  await app.ready();
  return { app, logs, stop: () => app.stop() };
}
