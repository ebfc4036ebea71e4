import { connect } from 'node:net';
import { runAdmin } from '../../scripts/admin';
import { connectWs } from '../helpers/graphql-client';
import { runEntrypoint, type RunningProcess } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { testEnv, uniquePrefix } from '../helpers/test-env';

/** Real processes, real signals: what an orchestrator does on every deploy. */
describe('graceful shutdown', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('shutdown');
  });
  afterAll(() => database.drop());

  async function startApi(): Promise<{ process: RunningProcess; port: number }> {
    const process = runEntrypoint('src/main.ts', testEnv(database.url, uniquePrefix('shutdown'), { LOG_LEVEL: 'info' }));
    const line = await process.waitForOutput(/"msg":"api listening"/);
    await process.waitForOutput(/connected to postgres/);
    return { process, port: JSON.parse(line).port as number };
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('api: %s lets an in-flight request finish, then exits 0', async (signal) => {
    const { process: api, port } = await startApi();
    try {
      // A request whose body is still arriving when the signal lands.
      const body = JSON.stringify({ query: '{ __typename }' });
      const socket = connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));

      api.kill(signal);
      await api.waitForOutput(/shutting down/);
      socket.write(body.slice(5));
      await ended;
      const response = Buffer.concat(chunks).toString('utf8');
      expect(response).toMatch(/^HTTP\/1.1 200/);
      expect(response).toContain('"__typename":"Query"');

      expect(await api.exited).toEqual({ code: 0, signal: null });
      expect(api.output.join('\n')).toContain('api stopped');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      api.kill('SIGKILL');
    }
  });

  it('api: an open, authenticated socket is closed with 1001 on shutdown', async () => {
    const out: string[] = [];
    const code = await runAdmin(['create-workspace', '--name', 'Shutdown', '--json'], { out: (l) => out.push(l), err: () => undefined }, testEnv(database.url, 'unused'));
    expect(code).toBe(0);
    const { token } = JSON.parse(out[0]) as { token: string };
    const { process: api, port } = await startApi();
    try {
      const ws = connectWs(`ws://127.0.0.1:${port}/graphql`, token);
      const answer = await new Promise<unknown>((resolve, reject) => {
        ws.client.subscribe({ query: '{ viewer { role } }' }, { next: resolve, error: reject, complete: () => undefined });
      });
      expect(answer).toEqual({ data: { viewer: { role: 'ADMIN' } } });
      api.kill('SIGTERM');
      expect((await ws.closed).code).toBe(1001);
      expect(await api.exited).toEqual({ code: 0, signal: null });
    } finally {
      api.kill('SIGKILL');
    }
  });

  it.each(['src/main.ts', 'workers/main.ts'])('%s refuses to start on bad configuration, naming every bad variable', async (entry) => {
    const started = runEntrypoint(entry, testEnv(database.url, uniquePrefix('config'), { PORT: 'eighty', LOG_LEVEL: 'loud' }));
    expect(await started.exited).toEqual({ code: 1, signal: null });
    const output = started.output.join('\n');
    expect(output).toContain('PORT must be a whole number');
    expect(output).toContain('LOG_LEVEL must be one of');
    expect(output).not.toMatch(/at .*\.ts:\d+/);
  });

  it('worker: SIGTERM closes queues and connections, exits 0', async () => {
    const worker = runEntrypoint('workers/main.ts', testEnv(database.url, uniquePrefix('shutdown'), { LOG_LEVEL: 'info' }));
    try {
      await worker.waitForOutput(/worker ready/);
      worker.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(worker.output.join('\n')).toContain('worker stopped');
    } finally {
      worker.kill('SIGKILL');
    }
  });
});
