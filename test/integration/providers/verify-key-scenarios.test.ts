import { KeyErrorCode } from '../../../src/keys/key-error-code';
import { Protocol } from '../../../src/providers/protocol';
import { verifyKey, type VerifyOutcome } from '../../../src/providers/verify-key';
import {
  SCENARIOS,
  startAnthropicFake,
  startAzureOpenAiFake,
  startGoogleFake,
  startOllamaFake,
  startOpenAiFake,
  startOpenRouterFake,
  useFake,
  type FakeProvider,
  type Scenario,
} from '../../helpers/fake-providers';
import { expectNoKeyIn, FAKE_OPTIONS, HANG_TIMEOUT_MS } from '../../helpers/key-assertions';

/**
 * Every protocol against its fake provider, for every scenario: the same provider answer must
 * classify the same way whichever protocol carried it, and no outcome may carry the key.
 */

type Expectation =
  | { status: 'passed' }
  | { status: 'rate_limited'; code: KeyErrorCode; httpStatus: number }
  | { status: 'failed'; code: KeyErrorCode; retryable: boolean; httpStatus?: number };

const failed = (code: KeyErrorCode, retryable: boolean, httpStatus?: number): Expectation => ({ status: 'failed', code, retryable, httpStatus });

const EXPECTED: Record<Scenario, Expectation> = {
  valid: { status: 'passed' },
  unauthorized: failed(KeyErrorCode.INVALID_KEY, false, 401),
  forbidden: failed(KeyErrorCode.PERMISSION_DENIED, false, 403),
  gemini_invalid_key: failed(KeyErrorCode.INVALID_KEY, false, 400),
  xai_invalid_key: failed(KeyErrorCode.INVALID_KEY, false, 400),
  payment_required: failed(KeyErrorCode.QUOTA_EXCEEDED, false, 402),
  rate_limited: { status: 'rate_limited', code: KeyErrorCode.RATE_LIMITED, httpStatus: 429 },
  insufficient_quota: failed(KeyErrorCode.QUOTA_EXCEEDED, false, 429),
  server_error: failed(KeyErrorCode.PROVIDER_ERROR, true, 500),
  overloaded: failed(KeyErrorCode.PROVIDER_ERROR, true, 529),
  hang: failed(KeyErrorCode.TIMEOUT, true),
  html: failed(KeyErrorCode.INCOMPATIBLE_ENDPOINT, false, 200),
  redirect: failed(KeyErrorCode.INCOMPATIBLE_ENDPOINT, false, 302),
  huge: failed(KeyErrorCode.INCOMPATIBLE_ENDPOINT, false, 200),
  echo_key: failed(KeyErrorCode.INVALID_KEY, false, 401),
  wrong_shape: failed(KeyErrorCode.INCOMPATIBLE_ENDPOINT, false, 200),
  not_found: failed(KeyErrorCode.INCOMPATIBLE_ENDPOINT, false, 404),
};

interface ProtocolCase {
  readonly protocol: Protocol;
  readonly start: () => Promise<FakeProvider>;
  readonly key: string;
  /** The call that proves the key (below the fake's base path). */
  readonly verificationPath: string;
  /** Model ids a valid key lists, and the requests that takes per path. */
  readonly models: string[];
  readonly validRequests: Record<string, number>;
}

const CASES: ProtocolCase[] = [
  {
    protocol: Protocol.OPENAI,
    start: () => startOpenAiFake(),
    key: 'sk-proj-Zq8LmN3vB7xK2pR9tY6wQ4eH1jU5aS0d',
    verificationPath: '/models',
    models: ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'],
    validRequests: { '/models': 1 },
  },
  {
    protocol: Protocol.ANTHROPIC,
    start: () => startAnthropicFake(),
    key: 'sk-ant-api03-Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz-AbCdEf',
    verificationPath: '/v1/models',
    models: ['claude-opus-4-1-20250805', 'claude-sonnet-4-20250514', 'claude-3-7-sonnet-20250219', 'claude-3-5-haiku-20241022', 'claude-3-haiku-20240307'],
    validRequests: { '/v1/models': 3 },
  },
  {
    protocol: Protocol.GOOGLE,
    start: () => startGoogleFake(),
    key: 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
    verificationPath: '/models',
    models: ['gemini-2.5-pro', 'gemini-2.5-flash', 'text-embedding-004', 'imagen-3.0-generate-002', 'gemini-2.0-flash'],
    validRequests: { '/models': 3 },
  },
  {
    protocol: Protocol.OPENROUTER,
    start: () => startOpenRouterFake(),
    key: 'sk-or-v1-0e6f4c1c96b2d8a7e5f3c1b9d7a5e3f1c9b7d5a3',
    verificationPath: '/key',
    models: ['openai/gpt-4o', 'google/gemini-2.5-flash-image', 'meta-llama/llama-3.1-8b-instruct'],
    validRequests: { '/key': 1, '/models': 1 },
  },
  {
    protocol: Protocol.AZURE_OPENAI,
    start: () => startAzureOpenAiFake(),
    key: '3f7c9a1e5b2d4f6a8c0e1b3d5f7a9c2e',
    verificationPath: '/openai/models',
    models: ['gpt-4o-2024-08-06', 'text-embedding-3-large', 'dall-e-3'],
    validRequests: { '/openai/models': 1 },
  },
  {
    protocol: Protocol.OLLAMA,
    start: () => startOllamaFake({ requireKey: true }),
    key: 'ollama-Hk3Jd8Ls0Qp2Wm5Nb7Vc',
    verificationPath: '/api/tags',
    models: ['llama3.2:latest', 'nomic-embed-text:latest'],
    validRequests: { '/api/tags': 1 },
  },
];

describe.each(CASES)('$protocol against its fake provider', (testCase) => {
  const fake = useFake(() => testCase.start());

  const verify = (timeoutMs = FAKE_OPTIONS.timeoutMs): Promise<VerifyOutcome> =>
    verifyKey({ protocol: testCase.protocol, endpoint: fake().url, apiKey: testCase.key }, { ...FAKE_OPTIONS, timeoutMs });

  it.each(SCENARIOS)('%s', async (scenario) => {
    fake().setKey(testCase.key, scenario);
    const outcome = await verify(scenario === 'hang' ? HANG_TIMEOUT_MS : undefined);
    const expected = EXPECTED[scenario];

    expect(outcome.status).toBe(expected.status);
    if (outcome.status === 'passed') {
      expect(outcome.models.map((model) => model.modelId)).toEqual(testCase.models);
      for (const [path, count] of Object.entries(testCase.validRequests)) expect(fake().requests(path)).toBe(count);
      expect(outcome.requests).toBe(fake().requests());
    } else {
      expect(outcome.failure.code).toBe(expected.status === 'passed' ? undefined : expected.code);
      expect(outcome.failure.httpStatus).toBe(expected.status === 'passed' ? undefined : expected.httpStatus);
      if (outcome.status === 'failed' && expected.status === 'failed') expect(outcome.retryable).toBe(expected.retryable);
      expect(outcome.failure.message.length).toBeGreaterThan(20);
      // A failed verification stops at the call that failed.
      expect(fake().requests(testCase.verificationPath)).toBe(1);
      expect(fake().requests()).toBe(1);
      expect(outcome.requests).toBe(1);
    }
    expectNoKeyIn(JSON.stringify(outcome), testCase.key);
    for (const request of fake().log) expectNoKeyIn(request.url, testCase.key);
  });

  it('says which protocol it expected when the answer is not it', async () => {
    fake().setKey(testCase.key, 'wrong_shape');
    const outcome = await verify();
    expect(outcome.status === 'failed' && outcome.failure.message).toMatch(/; expected an? .+ GET \/\S+ answer\./);
  });

  it('times out a hanging provider within the configured budget', async () => {
    fake().setKey(testCase.key, 'hang');
    const outcome = await verify(HANG_TIMEOUT_MS);
    expect(outcome).toMatchObject({ status: 'failed', retryable: true, failure: { code: KeyErrorCode.TIMEOUT } });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(HANG_TIMEOUT_MS - 5);
  }, HANG_TIMEOUT_MS * 10);

  it("answers a key nobody registered with the provider's own bad-key answer", async () => {
    const outcome = await verify();
    expect(outcome).toMatchObject({ status: 'failed', retryable: false, failure: { code: KeyErrorCode.INVALID_KEY } });
  });

  it('delays every answer when asked to, as benchmarks do', async () => {
    fake().setKey(testCase.key, 'valid');
    fake().setDelay(50);
    const outcome = await verify();
    expect(outcome.status).toBe('passed');
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(50 * outcome.requests - 5);
  });
});
