import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { judgeAddress } from './address-policy';

/**
 * The only way provider adapters reach the network. Endpoints are user-supplied and every request
 * carries a key, so each call is checked (scheme, every resolved address), pinned to the address that
 * was checked (no second DNS answer can swap in another host), never redirected, and bounded in time
 * and size. It never throws for network trouble: every outcome is a value the caller classifies.
 */

export interface ResolvedAddress {
  readonly address: string;
  /** 4 or 6, as `dns.lookup` reports it. */
  readonly family: number;
}

export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface OutboundOptions {
  /** Self-hosted models (and tests) live on private addresses; off by default everywhere else. */
  readonly allowPrivateEndpoints: boolean;
  /** Budget for the whole call: DNS, connect, TLS, waiting and reading the body. */
  readonly timeoutMs: number;
  /** Budget for DNS plus the TCP connect; defaults to the smaller of 5 s and `timeoutMs`. */
  readonly connectTimeoutMs?: number;
  /** Larger answers are aborted; defaults to `DEFAULT_MAX_RESPONSE_BYTES`. */
  readonly maxResponseBytes?: number;
  /** Replaces DNS, for tests; defaults to the system resolver (`dns.lookup`, all addresses). */
  readonly resolver?: HostResolver;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface OutboundRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface OutboundResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type OutboundFailure =
  /** Refused before any connection: bad URL, scheme, or an address the policy does not allow. */
  | { readonly kind: 'blocked'; readonly host: string; readonly reason: string }
  | { readonly kind: 'timeout'; readonly host: string; readonly phase: 'connect' | 'total'; readonly afterMs: number }
  /** `code` is the system or TLS error code (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED, ...). */
  | { readonly kind: 'network'; readonly host: string; readonly code: string }
  | { readonly kind: 'too_large'; readonly host: string; readonly status: number; readonly limitBytes: number };

export type OutboundResult = OutboundResponse | OutboundFailure;

export const systemResolver: HostResolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family }));
};

/** One GET to `request.url` under the outbound policy. */
export async function outboundGet(request: OutboundRequest, options: OutboundOptions): Promise<OutboundResult> {
  const started = Date.now();
  const target = parseTarget(request.url);
  if ('kind' in target) return target;
  const { url, host } = target;

  const connectBudget = Math.min(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, options.timeoutMs);
  const resolved = await withDeadline(resolveHost(host, options.resolver ?? systemResolver), connectBudget);
  if (resolved === 'expired') return { kind: 'timeout', host, phase: 'connect', afterMs: connectBudget };
  if ('kind' in resolved) return resolved;

  if (!options.allowPrivateEndpoints) {
    for (const { address } of resolved) {
      const verdict = judgeAddress(address);
      if (!verdict.isPublic) {
        const where = address === host ? `${host} is` : `${host} resolves to ${address}, which is`;
        return { kind: 'blocked', host, reason: `${where} ${verdict.reason}` };
      }
    }
  }

  const remaining = (budget: number) => Math.max(1, budget - (Date.now() - started));
  return send(url, host, resolved, request.headers, {
    connectMs: remaining(connectBudget),
    totalMs: remaining(options.timeoutMs),
    totalBudget: options.timeoutMs,
    connectBudget,
    maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  });
}

function parseTarget(raw: string): { url: URL; host: string } | OutboundFailure {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { kind: 'blocked', host: '(none)', reason: 'the endpoint is not a valid URL' };
  }
  // The WHATWG parser has already turned decimal, hex and octal IPv4 forms into dotted form here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { kind: 'blocked', host: host || url.protocol, reason: `only http and https endpoints are allowed, not ${url.protocol}` };
  }
  if (url.username || url.password) return { kind: 'blocked', host, reason: 'endpoints may not carry a user name or password' };
  if (!host) return { kind: 'blocked', host: '(none)', reason: 'the endpoint has no host' };
  return { url, host };
}

async function resolveHost(host: string, resolver: HostResolver): Promise<readonly ResolvedAddress[] | OutboundFailure> {
  const family = isIP(host);
  if (family) return [{ address: host, family }];
  try {
    const answers = await resolver(host);
    return answers.length > 0 ? answers : { kind: 'network', host, code: 'ENOTFOUND' };
  } catch (error) {
    return { kind: 'network', host, code: errorCode(error, 'ENOTFOUND') };
  }
}

interface Limits {
  readonly connectMs: number;
  readonly totalMs: number;
  readonly connectBudget: number;
  readonly totalBudget: number;
  readonly maxBytes: number;
}

function send(url: URL, host: string, addresses: readonly ResolvedAddress[], headers: Readonly<Record<string, string>>, limits: Limits): Promise<OutboundResult> {
  return new Promise((resolve) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (result: OutboundResult) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      request.destroy();
      resolve(result);
    };

    const transport = url.protocol === 'https:' ? https : http;
    let request: http.ClientRequest;
    try {
      request = transport.request({
        method: 'GET',
        // The hostname (not the address) is the host, so the Host header and TLS SNI and certificate
        // check all use the name; `lookup` below makes the connection go to the checked address.
        host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: { accept: 'application/json', ...headers },
        lookup: pinnedLookup(addresses),
        // A fresh connection per call: a pooled socket could carry a key to a host checked earlier.
        agent: false,
      });
    } catch (error) {
      // Invalid header characters and the like; the message could quote a header, so keep the code.
      resolve({ kind: 'network', host, code: errorCode(error, 'ERR_INVALID_REQUEST') });
      return;
    }

    timers.push(setTimeout(() => finish({ kind: 'timeout', host, phase: 'total', afterMs: limits.totalBudget }), limits.totalMs));
    const connectTimer = setTimeout(() => finish({ kind: 'timeout', host, phase: 'connect', afterMs: limits.connectBudget }), limits.connectMs);
    timers.push(connectTimer);
    request.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    request.on('error', (error) => finish({ kind: 'network', host, code: errorCode(error, 'ECONNRESET') }));
    request.on('response', (response) => readBody(response, host, limits.maxBytes, finish));
    request.end();
  });
}

function readBody(response: IncomingMessage, host: string, maxBytes: number, finish: (result: OutboundResult) => void): void {
  const status = response.statusCode ?? 0;
  const tooLarge = () => finish({ kind: 'too_large', host, status, limitBytes: maxBytes });
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  const chunks: Buffer[] = [];
  let received = 0;
  response.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) return tooLarge();
    chunks.push(chunk);
  });
  response.on('end', () => finish({ kind: 'response', status, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
  response.on('error', (error) => finish({ kind: 'network', host, code: errorCode(error, 'ECONNRESET') }));
  // A connection cut before the end of the body is a network failure, not a short answer.
  response.on('close', () => {
    if (!response.complete) finish({ kind: 'network', host, code: 'ECONNRESET' });
  });
}

/** Answers every lookup with the addresses already checked, so no second DNS answer is used. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      callback(null, addresses.map(({ address, family }): LookupAddress => ({ address, family })));
      return;
    }
    const wanted = addresses.find(({ family }) => !options.family || options.family === family) ?? addresses[0];
    callback(null, wanted.address, wanted.family);
  };
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | 'expired'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function errorCode(error: unknown, fallback: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : fallback;
}
