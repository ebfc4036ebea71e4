import 'reflect-metadata';
import { createApiApp } from './app';
import { ConfigError, loadConfig } from './config';
import { exitOnConfigError, exitOnSignals } from './shutdown';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitOnConfigError(error);
    throw error;
  }
  const app = await createApiApp(config);
  exitOnSignals(app.core.logger, () => app.stop());
  process.on('unhandledRejection', (reason) => app.core.logger.error({ err: reason }, 'unhandled rejection'));
  await app.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
