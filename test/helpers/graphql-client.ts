import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T = Record<string, any>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: string[] }[];
  readonly headers: Headers;
}

/** POSTs one operation; never throws on GraphQL errors, so tests can assert codes. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T; errors?: GraphQLResponse['errors'] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`non-JSON response (${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

/** The first error code of a response, or undefined. */
export const codeOf = (response: GraphQLResponse): string | undefined => response.errors?.[0]?.extensions?.code;

export interface WsConnection {
  readonly client: Client;
  /** Resolves with the close code once the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): Subscription<T>;
  dispose(): Promise<void>;
}

export interface Subscription<T> {
  readonly events: T[];
  readonly errors: unknown[];
  /** Resolves with the next event not yet taken (or rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<T>;
  /** Resolves once at least `count` events arrived in total. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  unsubscribe(): void;
}

export function connectWs(url: string, token?: string, options: { connectionParams?: Record<string, unknown> } = {}): WsConnection {
  let onClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    onClosed = resolve;
  });
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: options.connectionParams ?? (token ? { authorization: `Bearer ${token}` } : {}),
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        onClosed({ code: e.code, reason: String(e.reason) });
      },
    },
    onNonLazyError: () => undefined,
  });
  return {
    client,
    closed,
    subscribe<T>(query: string, variables?: Record<string, unknown>): Subscription<T> {
      const events: T[] = [];
      const errors: unknown[] = [];
      let taken = 0;
      const waiters: (() => void)[] = [];
      const wake = () => waiters.splice(0).forEach((w) => w());
      const unsubscribe = client.subscribe<T>(
        { query, variables },
        {
          next: (value) => {
            if (value.errors) errors.push(value.errors);
            else events.push(value.data as T);
            wake();
          },
          error: (error) => {
            errors.push(error);
            wake();
          },
          complete: () => wake(),
        },
      );
      const waitUntil = (predicate: () => boolean, timeoutMs: number, what: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (predicate()) {
              clearTimeout(timer);
              resolve();
              return true;
            }
            return false;
          };
          const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; errors: ${JSON.stringify(errors)}`)), timeoutMs);
          if (check()) return;
          const loop = () => {
            if (!check()) waiters.push(loop);
          };
          waiters.push(loop);
        });
      return {
        events,
        errors,
        async next(timeoutMs = 10_000) {
          await waitUntil(() => events.length > taken, timeoutMs, 'the next event');
          taken += 1;
          return events[taken - 1];
        },
        async waitFor(count: number, timeoutMs = 10_000) {
          await waitUntil(() => events.length >= count, timeoutMs, `${count} events`);
          return events.slice(0, count);
        },
        unsubscribe,
      };
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}
