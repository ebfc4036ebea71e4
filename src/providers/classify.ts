import { KeyErrorCode } from '../keys/key-error-code';
import type { OutboundFailure } from './outbound-http';
import { Protocol } from './protocol';
import { errorCodes, reasonText, saysInvalidKey, saysQuotaExhausted, saysRateLimited } from './provider-signals';
import { shortReason } from './scrub';
import type { KeyFailure, StopVerdict, Verdict } from './verify-outcome';

/**
 * The one table that turns a provider's answer into a KeyErrorCode (PROVIDERS.md, "Classifying what
 * comes back"). Every branch ends in a verdict: an answer we do not understand fails the test, it
 * never passes it.
 */

const EXPECTED_ANSWER: Readonly<Record<Protocol, string>> = {
  [Protocol.OPENAI]: 'an OpenAI-compatible GET /models answer',
  [Protocol.ANTHROPIC]: 'an Anthropic GET /v1/models answer',
  [Protocol.GOOGLE]: 'a Gemini API GET /models answer',
  [Protocol.OPENROUTER]: 'an OpenRouter GET /key answer',
  [Protocol.AZURE_OPENAI]: 'an Azure OpenAI GET /openai/models answer',
  [Protocol.OLLAMA]: 'an Ollama GET /api/tags answer',
};

/** What a protocol's verification call should answer, for messages ("expected ..."). */
export function expectedAnswer(protocol: Protocol): string {
  return EXPECTED_ANSWER[protocol] ?? `a ${String(protocol)} answer`;
}

export interface ClassifyContext {
  /** Scrubbed out of the provider's reason along with anything key-shaped. */
  readonly secret?: string;
  /** Overrides the protocol's default "expected ..." text (OpenRouter's listing call, for one). */
  readonly expected?: string;
  /** The Location header of a redirect, to tell the user where to point the endpoint. */
  readonly location?: string;
}

/**
 * Judges one HTTP answer. `parsedBody` is the JSON body, or undefined when the body was not JSON.
 * An `ok` only means "a JSON success"; the adapter still checks the shape.
 */
export function classifyResponse(
  protocol: Protocol,
  providerSlug: string | undefined,
  status: number,
  parsedBody: unknown,
  rawText: string,
  context: ClassifyContext = {},
): Verdict {
  const expected = context.expected ?? expectedAnswer(protocol);
  const codes = errorCodes(parsedBody);
  const reason = reasonText(parsedBody, rawText);
  const said = saidSuffix(reason, context.secret);
  const fail = (code: KeyErrorCode, message: string, retryable = false): Verdict => ({
    kind: 'failed',
    failure: { code, message: `${message}${said}`, httpStatus: status },
    retryable,
  });

  if (status >= 200 && status < 300) {
    if (parsedBody !== undefined) return { kind: 'ok' };
    return incompatible(`The endpoint answered with ${describeNonJson(rawText)}, not JSON`, expected, status);
  }
  if (status >= 300 && status < 400) {
    const target = context.location ? ` to ${shortReason(context.location, context.secret, 120)}` : '';
    return incompatible(`The endpoint redirected (${status})${target}; redirects are not followed; set the endpoint to the final URL`, expected, status);
  }
  const text = `${reason} ${rawText.slice(0, 64 * 1024)}`;
  if (status === 401 || ((status === 400 || status === 403) && saysInvalidKey(codes, text))) {
    return fail(KeyErrorCode.INVALID_KEY, `The provider rejected this key (${status}). Check that it was copied whole and has not been revoked.`);
  }
  // xAI answers a bad key with 400 and a sentence about the API key rather than a code.
  if (status === 400 && providerSlug === 'xai' && /\bapi key\b/i.test(reason)) {
    return fail(KeyErrorCode.INVALID_KEY, `The provider rejected this key (400). Check that it was copied whole and has not been revoked.`);
  }
  if (status === 403) {
    return fail(
      KeyErrorCode.PERMISSION_DENIED,
      `The provider refused this key access (403). Check the key's permissions, project or region, and that the API is enabled for it.`,
    );
  }
  if (status === 402 || ((status === 429 || status === 400) && saysQuotaExhausted(codes, text))) {
    return fail(KeyErrorCode.QUOTA_EXCEEDED, `The account behind this key is out of credit or quota (${status}). Add credit or raise the limit, then test again.`);
  }
  if (status === 429) {
    const message = `The provider accepted this key but is rate limiting it (429); its models will be listed at the next test.${said}`;
    return { kind: 'rate_limited', failure: { code: KeyErrorCode.RATE_LIMITED, message, httpStatus: status } };
  }
  if (status >= 500) {
    // Anthropic's 529 "overloaded" lands here too.
    return fail(KeyErrorCode.PROVIDER_ERROR, `The provider had a problem (${status}). This is usually temporary; the test will be retried.`, true);
  }
  if (status === 408) return fail(KeyErrorCode.TIMEOUT, `The provider timed out handling the request (408). The test will be retried.`, true);
  if (status === 404) return incompatible('The endpoint has no such path (404). Check the endpoint URL', expected, status, said);
  const note = saysRateLimited(codes) ? ' (a rate limit)' : '';
  return incompatible(`The endpoint answered ${status}${note}, which a key test does not expect`, expected, status, said);
}

/** A JSON answer whose shape is not the protocol's: the endpoint speaks something else. */
export function incompatible(problem: string, expected: string, httpStatus?: number, said = ''): StopVerdict {
  return {
    kind: 'failed',
    failure: { code: KeyErrorCode.INCOMPATIBLE_ENDPOINT, message: `${problem}; expected ${expected}.${said}`, ...(httpStatus ? { httpStatus } : {}) },
    retryable: false,
  };
}

/** Judges a call that got no usable HTTP answer (refused by the guard, timed out, network, too large). */
export function classifyTransportFailure(failure: OutboundFailure, expected: string): StopVerdict {
  switch (failure.kind) {
    case 'blocked':
      return {
        kind: 'failed',
        failure: {
          code: KeyErrorCode.ENDPOINT_BLOCKED,
          message: `Refused to send the key to ${failure.host === '(none)' ? 'this endpoint' : failure.host}: ${failure.reason}. Keys are only sent to public http(s) endpoints (private endpoints for self-hosted models must be allowed by an operator).`,
        },
        retryable: false,
      };
    case 'timeout': {
      const what = failure.phase === 'connect' ? `Could not connect to ${failure.host}` : `${failure.host} did not answer`;
      return transient(KeyErrorCode.TIMEOUT, `${what} within ${seconds(failure.afterMs)}. The test will be retried; if it keeps failing, check the endpoint.`);
    }
    case 'network':
      return transient(
        KeyErrorCode.NETWORK_ERROR,
        `Could not reach ${failure.host} (${failure.code}: ${describeNetworkCode(failure.code)}). Check the endpoint address; the test will be retried.`,
      );
    case 'too_large':
      return incompatible(`The answer was larger than ${mebibytes(failure.limitBytes)} and was cut off`, expected, failure.status);
  }
}

function transient(code: KeyErrorCode, message: string): StopVerdict {
  return { kind: 'failed', failure: { code, message }, retryable: true };
}

function saidSuffix(reason: string, secret: string | undefined): string {
  const short = shortReason(reason, secret);
  return short ? ` Provider said: "${short}"` : '';
}

function describeNonJson(rawText: string): string {
  const start = rawText.trimStart().slice(0, 200).toLowerCase();
  if (start.length === 0) return 'an empty body';
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || /<(head|body|title)\b/.test(start)) return 'an HTML page';
  return 'something that is not JSON';
}

function describeNetworkCode(code: string): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'the connection was cut';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host is unreachable';
  if (/CERT|TLS|SSL/.test(code)) return 'the TLS handshake or certificate check failed';
  return 'a network error';
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function mebibytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

export type CallFailureKind = 'INVALID' | 'QUOTA' | 'RATE_LIMITED' | 'TRANSIENT';

export interface CallFailureReport {
  readonly httpStatus?: number;
  /** A provider code (`insufficient_quota`, `invalid_api_key`, ...) or a Node one (`ETIMEDOUT`, `ECONNRESET`, ...). */
  readonly errorCode?: string;
  readonly message?: string;
}

export interface CallFailureClass {
  readonly code: KeyErrorCode;
  readonly kind: CallFailureKind;
}

const TIMEOUT_CODES = new Set([
  'timeout',
  'etimedout',
  'esockettimedout',
  'deadline_exceeded',
  'aborterror',
  'timeouterror',
  'und_err_connect_timeout',
  'und_err_headers_timeout',
  'und_err_body_timeout',
]);
const NETWORK_CODES = /^(econn(reset|refused|aborted)|enotfound|eai_again|epipe|ehostunreach|enetunreach|enetdown|und_err_socket|unable_to_.*|.*(cert|tls|ssl).*)$/;
const PERMISSION_CODES = new Set(['permission_error', 'permission_denied', 'forbidden']);

/**
 * Judges a runtime failure a caller reported (the "count runtime failures" path), by the same rules
 * as a key test: bad key, out of money, rate limited, or something that may pass on its own.
 */
export function classifyCallFailure(report: CallFailureReport): CallFailureClass {
  const status = report.httpStatus;
  const codes = report.errorCode?.trim() ? [report.errorCode.trim().toLowerCase()] : [];
  const text = report.message ?? '';
  const invalid = (code: KeyErrorCode): CallFailureClass => ({ code, kind: 'INVALID' });
  const quota: CallFailureClass = { code: KeyErrorCode.QUOTA_EXCEEDED, kind: 'QUOTA' };
  const rateLimited: CallFailureClass = { code: KeyErrorCode.RATE_LIMITED, kind: 'RATE_LIMITED' };
  const transient = (code: KeyErrorCode): CallFailureClass => ({ code, kind: 'TRANSIENT' });

  if (status === 401 || ((status === 400 || status === 403) && saysInvalidKey(codes, text))) return invalid(KeyErrorCode.INVALID_KEY);
  if (status === 403) return invalid(KeyErrorCode.PERMISSION_DENIED);
  if (status === 402 || ((status === 429 || status === 400) && saysQuotaExhausted(codes, text))) return quota;
  if (status === 429) return rateLimited;
  if (status === 408) return transient(KeyErrorCode.TIMEOUT);
  if (status !== undefined && status >= 500) return transient(KeyErrorCode.PROVIDER_ERROR);
  // No status (or one that says nothing): the code decides. Text alone is too loose to mark a key bad.
  const code = codes[0] ?? '';
  if (saysInvalidKey(codes, '')) return invalid(KeyErrorCode.INVALID_KEY);
  if (PERMISSION_CODES.has(code)) return invalid(KeyErrorCode.PERMISSION_DENIED);
  if (saysQuotaExhausted(codes, '')) return quota;
  if (saysRateLimited(codes)) return rateLimited;
  if (TIMEOUT_CODES.has(code)) return transient(KeyErrorCode.TIMEOUT);
  if (NETWORK_CODES.test(code)) return transient(KeyErrorCode.NETWORK_ERROR);
  return transient(KeyErrorCode.PROVIDER_ERROR);
}

export type { KeyFailure };
