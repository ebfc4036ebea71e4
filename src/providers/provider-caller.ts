import { classifyResponse, classifyTransportFailure } from './classify';
import { outboundGet, type OutboundOptions } from './outbound-http';
import type { StopVerdict, VerifyKeyRequest } from './verify-outcome';

/**
 * Makes an adapter's calls for one key test: builds the URL from the stored endpoint, sends the
 * adapter's auth headers through the outbound guard, and hands back either a JSON body or the
 * classified reason to stop. Counts the requests that left the process.
 */

export interface ProviderCall {
  /** Appended to the endpoint's own path, e.g. `models` or `v1/models`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** For messages: what a right answer would have been ("an Anthropic GET /v1/models answer"). */
  readonly expected: string;
}

export type CallResult = { readonly kind: 'ok'; readonly body: unknown } | StopVerdict;

export class ProviderCaller {
  private sent = 0;

  constructor(
    private readonly request: VerifyKeyRequest,
    private readonly options: OutboundOptions,
    private readonly authHeaders: Readonly<Record<string, string>>,
  ) {}

  /** Requests that passed the outbound guard (a refused endpoint costs none). */
  get requests(): number {
    return this.sent;
  }

  /** The stored endpoint's path, without trailing slashes, so adapters can avoid doubling `/v1`. */
  get endpointPath(): string {
    try {
      return new URL(this.request.endpoint.trim()).pathname.replace(/\/+$/, '');
    } catch {
      return '';
    }
  }

  async getJson(call: ProviderCall): Promise<CallResult> {
    const url = endpointUrl(this.request.endpoint, call.path, call.query);
    if (url === undefined) return classifyTransportFailure({ kind: 'blocked', host: '(none)', reason: 'the endpoint is not a valid URL' }, call.expected);
    const result = await outboundGet({ url, headers: this.authHeaders }, this.options);
    if (result.kind !== 'blocked') this.sent += 1;
    if (result.kind !== 'response') return classifyTransportFailure(result, call.expected);
    const body = parseJson(result.body);
    const location = typeof result.headers.location === 'string' ? result.headers.location : undefined;
    const verdict = classifyResponse(this.request.protocol, this.request.providerSlug, result.status, body, result.body, {
      secret: this.request.apiKey,
      expected: call.expected,
      location,
    });
    return verdict.kind === 'ok' ? { kind: 'ok', body } : verdict;
  }
}

/** `{endpoint}/{path}?{query}` however many slashes the stored endpoint ends with; undefined if it is not a URL. */
export function endpointUrl(endpoint: string, path: string, query: Readonly<Record<string, string>> = {}): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return undefined;
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  url.hash = '';
  return url.toString();
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
