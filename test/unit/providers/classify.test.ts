import { KeyErrorCode } from '../../../src/keys/key-error-code';
import { classifyCallFailure, classifyResponse, classifyTransportFailure, expectedAnswer } from '../../../src/providers/classify';
import { Protocol } from '../../../src/providers/protocol';

const KEY = 'sk-proj-Zq8LmN3vB7xK2pR9tY6wQ4eH1jU5aS0d';

const openAiError = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });
const googleError = (code: number, status: string, message: string, details: unknown[] = []) => ({ error: { code, status, message, details } });
const quotaFailure = (quotaId: string) => ({ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId }] });

function judge(status: number, body: unknown, options: { protocol?: Protocol; slug?: string; raw?: string; location?: string } = {}) {
  const raw = options.raw ?? (body === undefined ? '' : JSON.stringify(body));
  return classifyResponse(options.protocol ?? Protocol.OPENAI, options.slug, status, body, raw, { secret: KEY, location: options.location });
}

function failure(verdict: ReturnType<typeof judge>) {
  if (verdict.kind === 'ok') throw new Error('expected a failure');
  return verdict;
}

describe('classifyResponse', () => {
  it.each<[string, number, unknown, { protocol?: Protocol; slug?: string }, KeyErrorCode, boolean]>([
    ['OpenAI 401', 401, openAiError('Incorrect API key provided: sk-abc***xyz.', 'invalid_request_error', 'invalid_api_key'), {}, KeyErrorCode.INVALID_KEY, false],
    ['Anthropic 401', 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }, { protocol: Protocol.ANTHROPIC }, KeyErrorCode.INVALID_KEY, false],
    ['Anthropic 403', 403, { type: 'error', error: { type: 'permission_error', message: 'no access' } }, { protocol: Protocol.ANTHROPIC }, KeyErrorCode.PERMISSION_DENIED, false],
    ['Gemini 403 disabled API', 403, googleError(403, 'PERMISSION_DENIED', 'API has not been used in project', [{ reason: 'SERVICE_DISABLED' }]), { protocol: Protocol.GOOGLE }, KeyErrorCode.PERMISSION_DENIED, false],
    ['Gemini 400 API_KEY_INVALID (reason only)', 400, googleError(400, 'INVALID_ARGUMENT', 'Bad request', [{ reason: 'API_KEY_INVALID' }]), { protocol: Protocol.GOOGLE }, KeyErrorCode.INVALID_KEY, false],
    ['Gemini 400 API key not valid (message only)', 400, googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.'), { protocol: Protocol.GOOGLE }, KeyErrorCode.INVALID_KEY, false],
    ['xAI 400', 400, { code: 'Client specified an invalid argument', error: 'Incorrect API key provided: xa***cd. You can obtain an API key from https://console.x.ai.' }, { slug: 'xai' }, KeyErrorCode.INVALID_KEY, false],
    ['xAI-shaped 400 from a custom provider', 400, { error: 'Incorrect API key provided: xa***cd.' }, {}, KeyErrorCode.INVALID_KEY, false],
    ['xAI 400 about a blocked key', 400, { error: 'Your API key is blocked' }, { slug: 'xai' }, KeyErrorCode.INVALID_KEY, false],
    ['Anthropic 400 out of credit', 400, { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' } }, { protocol: Protocol.ANTHROPIC }, KeyErrorCode.QUOTA_EXCEEDED, false],
    ['other 400', 400, { error: { message: 'Missing required query parameter api-version' } }, { protocol: Protocol.AZURE_OPENAI }, KeyErrorCode.INCOMPATIBLE_ENDPOINT, false],
    ['402', 402, { error: { message: 'Insufficient Balance', type: 'unknown_error' } }, {}, KeyErrorCode.QUOTA_EXCEEDED, false],
    ['429 insufficient_quota', 429, openAiError('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota'), {}, KeyErrorCode.QUOTA_EXCEEDED, false],
    ['429 out of credits', 429, { error: { code: 429, message: 'Out of credits' } }, { protocol: Protocol.OPENROUTER }, KeyErrorCode.QUOTA_EXCEEDED, false],
    ['429 Gemini per-day quota', 429, googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [quotaFailure('GenerateRequestsPerDayPerProjectPerModel-FreeTier')]), { protocol: Protocol.GOOGLE }, KeyErrorCode.QUOTA_EXCEEDED, false],
    ['500', 500, openAiError('The server had an error', 'server_error', null), {}, KeyErrorCode.PROVIDER_ERROR, true],
    ['502 HTML', 502, undefined, {}, KeyErrorCode.PROVIDER_ERROR, true],
    ['503', 503, undefined, {}, KeyErrorCode.PROVIDER_ERROR, true],
    ['Anthropic 529', 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, { protocol: Protocol.ANTHROPIC }, KeyErrorCode.PROVIDER_ERROR, true],
    ['408', 408, undefined, {}, KeyErrorCode.TIMEOUT, true],
    ['404', 404, openAiError('Invalid URL (GET /v1/modelz)', 'invalid_request_error', null), {}, KeyErrorCode.INCOMPATIBLE_ENDPOINT, false],
    ['405', 405, undefined, {}, KeyErrorCode.INCOMPATIBLE_ENDPOINT, false],
    ['418', 418, { message: 'teapot' }, {}, KeyErrorCode.INCOMPATIBLE_ENDPOINT, false],
    ['302', 302, undefined, {}, KeyErrorCode.INCOMPATIBLE_ENDPOINT, false],
    ['200 not JSON', 200, undefined, {}, KeyErrorCode.INCOMPATIBLE_ENDPOINT, false],
  ])('%s → %s', (_label, status, body, options, code, retryable) => {
    const verdict = failure(judge(status, body, options));
    expect(verdict.kind).toBe('failed');
    expect(verdict.failure.code).toBe(code);
    expect(verdict.failure.httpStatus).toBe(status);
    if (verdict.kind === 'failed') expect(verdict.retryable).toBe(retryable);
  });

  it.each<[string, unknown, Protocol]>([
    ['OpenAI rate limit', openAiError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'), Protocol.OPENAI],
    ['Anthropic rate limit', { type: 'error', error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit' } }, Protocol.ANTHROPIC],
    ['no body', undefined, Protocol.OPENAI],
    [
      'Gemini per-minute quota (a rate limit, though it says quota and billing)',
      googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [quotaFailure('GenerateRequestsPerMinutePerProjectPerModel-FreeTier')]),
      Protocol.GOOGLE,
    ],
  ])('429 %s → rate limited: the key is valid', (_label, body, protocol) => {
    const verdict = failure(judge(429, body, { protocol }));
    expect(verdict.kind).toBe('rate_limited');
    expect(verdict.failure).toMatchObject({ code: KeyErrorCode.RATE_LIMITED, httpStatus: 429 });
  });

  it('passes a JSON success on to the adapter', () => {
    expect(judge(200, { data: [] })).toEqual({ kind: 'ok' });
    expect(judge(200, [])).toEqual({ kind: 'ok' });
  });

  it('says what to do and quotes the provider, scrubbed', () => {
    const verdict = failure(judge(401, openAiError(`Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key')));
    expect(verdict.failure.message).toMatch(/^The provider rejected this key \(401\)\. Check that it was copied whole and has not been revoked\. Provider said: "Incorrect API key provided: \[redacted\]\./);
    expect(verdict.failure.message).not.toContain(KEY.slice(8, 16));
  });

  it('scrubs masked echoes and keys it was not told about', () => {
    const verdict = failure(judge(401, openAiError('Incorrect API key provided: sk-abc***********xyz. Other: sk-ant-api03-abcdefgh1234', 'invalid_request_error', 'invalid_api_key')));
    expect(verdict.failure.message).not.toMatch(/sk-/);
  });

  it('names the protocol it expected when the answer is not it', () => {
    expect(failure(judge(404, undefined)).failure.message).toContain('expected an OpenAI-compatible GET /models answer');
    expect(failure(judge(200, undefined, { protocol: Protocol.ANTHROPIC, raw: '<!DOCTYPE html><html><title>Hi</title></html>' })).failure.message).toBe(
      'The endpoint answered with an HTML page, not JSON; expected an Anthropic GET /v1/models answer.',
    );
    expect(failure(judge(200, undefined, { raw: 'hello' })).failure.message).toContain('something that is not JSON');
    expect(failure(judge(200, undefined, { raw: '' })).failure.message).toContain('an empty body');
  });

  it('tells the user to set the final URL when redirected', () => {
    const message = failure(judge(301, undefined, { location: 'https://api.example.com/v1/' })).failure.message;
    expect(message).toContain('redirected (301) to https://api.example.com/v1/');
    expect(message).toContain('redirects are not followed; set the endpoint to the final URL');
  });

  it('keeps long provider reasons short and drops HTML', () => {
    const raw = `<html><head><title>401 Authorization Required</title></head><body>${'x '.repeat(500)}</body></html>`;
    const message = failure(judge(401, undefined, { raw })).failure.message;
    expect(message).toContain('Provider said: "401 Authorization Required"');
    const long = failure(judge(500, { error: { message: 'y '.repeat(500) } })).failure.message;
    expect(long.length).toBeLessThan(400);
  });
});

describe('classifyTransportFailure', () => {
  const expected = expectedAnswer(Protocol.OPENAI);

  it('refuses blocked endpoints without retry, naming the host and why', () => {
    const verdict = classifyTransportFailure({ kind: 'blocked', host: 'internal.example', reason: 'internal.example resolves to 10.0.0.1, which is a private network (10.0.0.0/8)' }, expected);
    expect(verdict).toMatchObject({ kind: 'failed', retryable: false, failure: { code: KeyErrorCode.ENDPOINT_BLOCKED } });
    expect(verdict.failure.message).toContain('internal.example resolves to 10.0.0.1');
    expect(verdict.failure.httpStatus).toBeUndefined();
  });

  it('retries timeouts and network errors', () => {
    expect(classifyTransportFailure({ kind: 'timeout', host: 'h', phase: 'total', afterMs: 10_000 }, expected)).toMatchObject({
      retryable: true,
      failure: { code: KeyErrorCode.TIMEOUT, message: expect.stringContaining('within 10 s') },
    });
    expect(classifyTransportFailure({ kind: 'timeout', host: 'h', phase: 'connect', afterMs: 300 }, expected).failure.message).toContain('Could not connect to h within 300 ms');
    for (const code of ['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      expect(classifyTransportFailure({ kind: 'network', host: 'h', code }, expected)).toMatchObject({ retryable: true, failure: { code: KeyErrorCode.NETWORK_ERROR } });
    }
  });

  it('fails a too-large answer as incompatible', () => {
    expect(classifyTransportFailure({ kind: 'too_large', host: 'h', status: 200, limitBytes: 16 * 1024 * 1024 }, expected)).toMatchObject({
      retryable: false,
      failure: { code: KeyErrorCode.INCOMPATIBLE_ENDPOINT, httpStatus: 200, message: expect.stringContaining('larger than 16 MiB') },
    });
  });
});

describe('classifyCallFailure', () => {
  it.each<[string, Parameters<typeof classifyCallFailure>[0], KeyErrorCode, string]>([
    ['401', { httpStatus: 401 }, KeyErrorCode.INVALID_KEY, 'INVALID'],
    ['403', { httpStatus: 403 }, KeyErrorCode.PERMISSION_DENIED, 'INVALID'],
    ['Gemini 400', { httpStatus: 400, errorCode: 'API_KEY_INVALID' }, KeyErrorCode.INVALID_KEY, 'INVALID'],
    ['xAI 400', { httpStatus: 400, message: 'Incorrect API key provided: xa***cd' }, KeyErrorCode.INVALID_KEY, 'INVALID'],
    ['invalid_api_key code alone', { errorCode: 'invalid_api_key' }, KeyErrorCode.INVALID_KEY, 'INVALID'],
    ['permission_error code alone', { errorCode: 'permission_error' }, KeyErrorCode.PERMISSION_DENIED, 'INVALID'],
    ['402', { httpStatus: 402 }, KeyErrorCode.QUOTA_EXCEEDED, 'QUOTA'],
    ['429 insufficient_quota', { httpStatus: 429, errorCode: 'insufficient_quota' }, KeyErrorCode.QUOTA_EXCEEDED, 'QUOTA'],
    ['insufficient_quota code alone', { errorCode: 'insufficient_quota' }, KeyErrorCode.QUOTA_EXCEEDED, 'QUOTA'],
    ['429 billing text', { httpStatus: 429, message: 'check your plan and billing details' }, KeyErrorCode.QUOTA_EXCEEDED, 'QUOTA'],
    ['429', { httpStatus: 429 }, KeyErrorCode.RATE_LIMITED, 'RATE_LIMITED'],
    ['429 rate_limit_exceeded', { httpStatus: 429, errorCode: 'rate_limit_exceeded' }, KeyErrorCode.RATE_LIMITED, 'RATE_LIMITED'],
    ['rate_limit_exceeded code alone', { errorCode: 'rate_limit_exceeded' }, KeyErrorCode.RATE_LIMITED, 'RATE_LIMITED'],
    ['500', { httpStatus: 500 }, KeyErrorCode.PROVIDER_ERROR, 'TRANSIENT'],
    ['529', { httpStatus: 529 }, KeyErrorCode.PROVIDER_ERROR, 'TRANSIENT'],
    ['408', { httpStatus: 408 }, KeyErrorCode.TIMEOUT, 'TRANSIENT'],
    ['timeout', { errorCode: 'timeout' }, KeyErrorCode.TIMEOUT, 'TRANSIENT'],
    ['ETIMEDOUT', { errorCode: 'ETIMEDOUT' }, KeyErrorCode.TIMEOUT, 'TRANSIENT'],
    ['ECONNRESET', { errorCode: 'ECONNRESET' }, KeyErrorCode.NETWORK_ERROR, 'TRANSIENT'],
    ['ECONNREFUSED', { errorCode: 'ECONNREFUSED' }, KeyErrorCode.NETWORK_ERROR, 'TRANSIENT'],
    ['ENOTFOUND', { errorCode: 'ENOTFOUND' }, KeyErrorCode.NETWORK_ERROR, 'TRANSIENT'],
    ['TLS', { errorCode: 'CERT_HAS_EXPIRED' }, KeyErrorCode.NETWORK_ERROR, 'TRANSIENT'],
    ['unknown code', { errorCode: 'something_new' }, KeyErrorCode.PROVIDER_ERROR, 'TRANSIENT'],
    ['nothing at all', {}, KeyErrorCode.PROVIDER_ERROR, 'TRANSIENT'],
    ['404', { httpStatus: 404 }, KeyErrorCode.PROVIDER_ERROR, 'TRANSIENT'],
    ['text alone never marks a key bad', { message: 'invalid api key' }, KeyErrorCode.PROVIDER_ERROR, 'TRANSIENT'],
  ])('%s', (_label, report, code, kind) => {
    expect(classifyCallFailure(report)).toEqual({ code, kind });
  });
});
