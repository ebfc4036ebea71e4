import { createApiApp, type ApiApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { captureLogs, type CapturedLogs } from './log-capture';
import { connectWs, gql, type GraphQLResponse, type WsConnection } from './graphql-client';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testEnv, uniquePrefix } from './test-env';

export interface TestApi {
  readonly app: ApiApp;
  readonly config: Config;
  readonly database: TestDatabase;
  readonly logs: CapturedLogs;
  readonly baseUrl: string;
  readonly url: string;
  readonly wsUrl: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  ws(token?: string): WsConnection;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Share a database with another api or worker; by default the api gets a fresh one. */
  readonly database?: TestDatabase;
  readonly redisPrefix?: string;
  readonly env?: Record<string, string>;
}

/** Starts the real api in-process on a free port, against its own database and Redis prefix. */
export async function startTestApi(options: StartOptions = {}): Promise<TestApi> {
  const database = options.database ?? (await createTestDatabase('api'));
  const ownsDatabase = !options.database;
  const config = loadConfig(testEnv(database.url, options.redisPrefix ?? uniquePrefix('api'), options.env));
  const logs = captureLogs();
  const app = await createApiApp(config, { logger: logs.logger });
  const port = await app.start();
  await app.core.database.ready;
  const baseUrl = `http://127.0.0.1:${port}`;
  const sockets: WsConnection[] = [];
  return {
    app,
    config,
    database,
    logs,
    baseUrl,
    url: `${baseUrl}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    gql: (query, variables, token) => gql(`${baseUrl}/graphql`, query, variables, token),
    ws: (token) => {
      const connection = connectWs(`ws://127.0.0.1:${port}/graphql`, token);
      sockets.push(connection);
      return connection;
    },
    stop: async () => {
      await Promise.allSettled(sockets.map((s) => s.dispose()));
      await app.stop();
      if (ownsDatabase) await database.drop();
    },
  };
}
