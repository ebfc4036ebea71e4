import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { geminiInvalidKey, xaiInvalidKey } from './shared-answers';

/**
 * A real HTTP server on 127.0.0.1 that plays one provider: it reads the key exactly where the real
 * provider does and answers per key (a scenario per key, a default for the rest). Protocol modules
 * supply the provider's own paths and body shapes; the scenarios that look alike everywhere (hang,
 * HTML, redirect, huge, wrong shape) live here.
 */

export const SCENARIOS = [
  'valid',
  'unauthorized',
  'forbidden',
  'gemini_invalid_key',
  'xai_invalid_key',
  'payment_required',
  'rate_limited',
  'insufficient_quota',
  'server_error',
  'overloaded',
  'hang',
  'html',
  'redirect',
  'huge',
  'echo_key',
  'wrong_shape',
  'not_found',
] as const;

export type Scenario = (typeof SCENARIOS)[number];

/** Scenarios each provider answers in its own error shape. */
export type ErrorScenario = Exclude<Scenario, 'valid' | 'hang' | 'html' | 'redirect' | 'huge' | 'wrong_shape' | 'gemini_invalid_key' | 'xai_invalid_key'>;

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** Sent as text/plain when set, instead of JSON. */
  readonly text?: string;
}

export interface ProviderBehaviour {
  /** Where the provider's API lives under the origin (`/v1`, `/v1beta`, ...); `url` includes it. */
  readonly basePath: string;
  /** The scenario for keys nobody registered: the provider's real answer to a made-up key. */
  readonly unknownKeyScenario: Scenario;
  /** The key as the real provider reads it; undefined when the request presents none. */
  readKey(request: IncomingMessage, url: URL): string | undefined;
  /** The real answer to a request that presents no key at all. */
  missingKey(): Answer;
  /** A request the real provider refuses before looking at the key's standing (a missing version header, say). */
  precondition?(request: IncomingMessage, url: URL): Answer | undefined;
  /** Answers that need no key at all (OpenRouter's public model list). */
  publicAnswer?(path: string, url: URL): Answer | undefined;
  /** The answer for a valid key; undefined for a path the provider does not have. `path` is below basePath. */
  validAnswer(path: string, url: URL): Answer | undefined;
  errorAnswer(scenario: ErrorScenario, key: string): Answer;
}

export interface FakeProviderOptions {
  /** Waited before every answer (benchmarks use 50 ms). */
  readonly delayMs?: number;
  /** Keys known from the start; more can be set with `setKey`. */
  readonly keys?: Readonly<Record<string, Scenario>>;
  readonly defaultScenario?: Scenario;
  /** Where the `redirect` scenario points. */
  readonly redirectLocation?: string;
  /** How much the `huge` scenario streams unless the client hangs up first (default 64 MiB). */
  readonly hugeBytes?: number;
}

export interface LoggedRequest {
  readonly method: string;
  /** Below basePath, without the query. */
  readonly path: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

export class FakeProvider {
  readonly log: LoggedRequest[] = [];
  private readonly keys = new Map<string, Scenario>();
  private defaultScenario: Scenario;
  private delayMs: number;

  constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly behaviour: ProviderBehaviour,
    private readonly options: FakeProviderOptions,
  ) {
    this.defaultScenario = options.defaultScenario ?? behaviour.unknownKeyScenario;
    this.delayMs = options.delayMs ?? 0;
    this.restoreKeys();
  }

  /** The endpoint to store for this provider, e.g. `http://127.0.0.1:PORT/v1`. */
  get url(): string {
    return `${this.origin}${this.behaviour.basePath}`;
  }

  /** Requests seen, all of them or those for one path below basePath (e.g. `/models`). */
  requests(path?: string): number {
    return path === undefined ? this.log.length : this.log.filter((entry) => entry.path === path).length;
  }

  setKey(key: string, scenario: Scenario): void {
    this.keys.set(key, scenario);
  }

  setDefaultScenario(scenario: Scenario): void {
    this.defaultScenario = scenario;
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Forgets counts and runtime changes; back to the options it started with. */
  reset(): void {
    this.log.length = 0;
    this.restoreKeys();
    this.defaultScenario = this.options.defaultScenario ?? this.behaviour.unknownKeyScenario;
    this.delayMs = this.options.delayMs ?? 0;
  }

  /** Closes the server, cutting any hanging answers. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** @internal the request handler */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const base = this.behaviour.basePath;
    const path = base && url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : url.pathname;
    this.log.push({ method: request.method ?? 'GET', path, url: request.url ?? '/', headers: request.headers });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (response.destroyed) return;

    const open = this.behaviour.publicAnswer?.(path, url);
    if (open) return send(response, open);
    const key = this.behaviour.readKey(request, url);
    if (key === undefined) return send(response, this.behaviour.missingKey());
    const refused = this.behaviour.precondition?.(request, url);
    if (refused) return send(response, refused);

    const scenario = this.keys.get(key) ?? this.defaultScenario;
    switch (scenario) {
      case 'valid':
        return send(response, (request.method === 'GET' && this.behaviour.validAnswer(path, url)) || this.behaviour.errorAnswer('not_found', key));
      case 'hang':
        return; // Never answers; close() cuts the connection.
      case 'html':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>');
        return;
      case 'redirect':
        response.writeHead(302, { location: this.options.redirectLocation ?? 'https://example.com/moved' });
        response.end();
        return;
      case 'huge':
        return streamHuge(response, this.options.hugeBytes ?? 64 * 1024 * 1024);
      case 'wrong_shape':
        return send(response, { status: 200, body: { status: 'ok', result: { models: 'none' } } });
      case 'gemini_invalid_key':
        return send(response, geminiInvalidKey());
      case 'xai_invalid_key':
        return send(response, xaiInvalidKey(key));
      default:
        return send(response, this.behaviour.errorAnswer(scenario, key));
    }
  }

  private restoreKeys(): void {
    this.keys.clear();
    for (const [key, scenario] of Object.entries(this.options.keys ?? {})) this.keys.set(key, scenario);
  }
}

export async function startFakeProvider(behaviour: ProviderBehaviour, options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake = new FakeProvider(server, `http://127.0.0.1:${port}`, behaviour, options);
  server.on('request', (request, response) => {
    fake.handle(request, response).catch(() => response.destroy());
  });
  return fake;
}

function send(response: ServerResponse, answer: Answer): void {
  if (answer.text !== undefined) {
    response.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(answer.text);
    return;
  }
  response.writeHead(answer.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(answer.body));
}

/** Streams without a Content-Length, so the client has to count bytes itself to stop. */
function streamHuge(response: ServerResponse, total: number): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.from(`${'{"id":"filler-model","object":"model"},'.repeat(1600)}`);
  let sent = 0;
  let stopped = false;
  response.on('close', () => {
    stopped = true;
  });
  const pump = () => {
    while (!stopped && sent < total) {
      sent += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    if (!stopped) response.end(']}');
  };
  response.write('{"data":[');
  pump();
}
