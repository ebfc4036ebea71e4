import 'reflect-metadata';
import { ConfigError, loadConfig } from '../src/config';
import { exitOnConfigError, exitOnSignals } from '../src/shutdown';
import { createWorkerApp } from './worker-app';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitOnConfigError(error);
    throw error;
  }
  const app = createWorkerApp(config);
  exitOnSignals(app.core.logger, () => app.stop());
  process.on('unhandledRejection', (reason) => app.core.logger.error({ err: reason }, 'unhandled rejection'));
  await app.ready();
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
