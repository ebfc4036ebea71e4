import { Redis } from 'ioredis';
import { freePort, runCommand, type RunningProcess, waitUntil } from './processes';

/**
 * A private redis-server on its own port, which a test may stop and start again to prove that
 * the api and worker survive Redis going away and coming back.
 */
export class TestRedisServer {
  private process?: RunningProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedisServer> {
    const server = new TestRedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = runCommand('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {});
    await waitUntil(async () => {
      const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    }, 10_000, `redis-server on ${this.port}`);
  }

  async stop(): Promise<void> {
    if (!this.process) return;
    this.process.kill('SIGKILL');
    await this.process.exited;
    this.process = undefined;
  }
}
