import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadConfigOrExit } from '../src/shutdown';
import { ensurePlaygroundBuilt } from './build-playground';
import { migrate } from './migrate';

/**
 * Local development in one command: creates the database if missing, applies migrations, then runs
 * the api and the worker from source. Ctrl-C stops both gracefully; if one dies, the other is stopped.
 */
const ROOT = join(__dirname, '..');

function run(name: string, entry: string): ChildProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', entry], { cwd: ROOT, stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      console.error(`[dev] ${name} exited (${signal ?? code}); stopping the rest`);
      stopAll(code === 0 ? 1 : (code ?? 1));
    }
  });
  return child;
}

let shuttingDown = false;
const children: ChildProcess[] = [];

function stopAll(exitCode: number): void {
  shuttingDown = true;
  const alive = children.filter((child) => child.exitCode === null && child.signalCode === null);
  if (alive.length === 0) process.exit(exitCode);
  let remaining = alive.length;
  for (const child of alive) {
    child.once('exit', () => {
      remaining -= 1;
      if (remaining === 0) process.exit(exitCode);
    });
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const applied = await migrate(loadConfigOrExit().databaseUrl, (line) => console.log(`[dev] ${line}`));
  console.log(`[dev] migrations: ${applied.length ? applied.join(', ') : 'up to date'}`);
  await ensurePlaygroundBuilt((line) => console.log(`[dev] ${line}`));
  children.push(run('api', 'src/main.ts'), run('worker', 'workers/main.ts'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (shuttingDown) return;
      console.log(`[dev] ${signal}: stopping api and worker`);
      stopAll(0);
    });
  }
}

main().catch((error: unknown) => {
  console.error(`[dev] ${(error as Error).message}`);
  process.exit(1);
});
