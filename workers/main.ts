import 'reflect-metadata';
import { exitOnSignals, loadConfigOrExit } from '../src/shutdown';
import { createWorkerApp } from './worker-app';

async function main(): Promise<void> {
  const app = createWorkerApp(loadConfigOrExit());
  exitOnSignals(app.core.logger, () => app.stop());
  process.on('unhandledRejection', (reason) => app.core.logger.error({ err: reason }, 'unhandled rejection'));
  await app.ready();
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
