import 'reflect-metadata';
import { createApiApp } from './app';
import { exitOnSignals, loadConfigOrExit } from './shutdown';

async function main(): Promise<void> {
  const app = await createApiApp(loadConfigOrExit());
  exitOnSignals(app.core.logger, () => app.stop());
  process.on('unhandledRejection', (reason) => app.core.logger.error({ err: reason }, 'unhandled rejection'));
  await app.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
