import { startFakeProvider, type Answer, type ErrorScenario, type FakeProvider, type FakeProviderOptions, type ProviderBehaviour } from './fake-provider';

export interface AnthropicFakeOptions extends FakeProviderOptions {
  readonly models?: readonly unknown[];
  /** The most the fake puts on a page whatever `limit` asks for, so tests cross pages (default 2). */
  readonly pageSize?: number;
}

const vision = { image_input: { supported: true }, pdf_input: { supported: true }, batch: { supported: true } };

export const DEFAULT_ANTHROPIC_MODELS: readonly unknown[] = [
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', type: 'model', created_at: '2025-08-05T00:00:00Z', capabilities: vision },
  { id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', type: 'model', created_at: '2025-05-22T00:00:00Z', capabilities: vision },
  { id: 'claude-3-7-sonnet-20250219', display_name: 'Claude Sonnet 3.7', type: 'model', created_at: '2025-02-24T00:00:00Z' },
  { id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', type: 'model', created_at: '2024-10-22T00:00:00Z' },
  { id: 'claude-3-haiku-20240307', display_name: 'Claude Haiku 3', type: 'model', created_at: '2024-03-07T00:00:00Z', capabilities: { image_input: { supported: false } } },
];

function anthropicError(status: number, type: string, message: string): Answer {
  return { status, body: { type: 'error', error: { type, message } } };
}

function errorAnswer(scenario: ErrorScenario, key: string): Answer {
  switch (scenario) {
    case 'unauthorized':
      return anthropicError(401, 'authentication_error', 'invalid x-api-key');
    case 'echo_key':
      return anthropicError(401, 'authentication_error', `invalid x-api-key: ${key}`);
    case 'forbidden':
      return anthropicError(403, 'permission_error', 'Your API key does not have permission to use the specified resource.');
    case 'payment_required':
      return anthropicError(402, 'billing_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.');
    case 'rate_limited':
      return anthropicError(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit. Please try again later.');
    case 'insufficient_quota':
      return anthropicError(429, 'billing_error', 'Your credit balance is too low to access the Anthropic API.');
    case 'server_error':
      return anthropicError(500, 'api_error', 'Internal server error');
    case 'overloaded':
      return anthropicError(529, 'overloaded_error', 'Overloaded');
    case 'not_found':
      return anthropicError(404, 'not_found_error', 'Not found');
  }
}

export function anthropicBehaviour(options: AnthropicFakeOptions = {}): ProviderBehaviour {
  const models = options.models ?? DEFAULT_ANTHROPIC_MODELS;
  const pageSize = options.pageSize ?? 2;
  return {
    basePath: '',
    unknownKeyScenario: 'unauthorized',
    readKey: (request) => request.headers['x-api-key'] as string | undefined,
    missingKey: () => anthropicError(401, 'authentication_error', 'x-api-key header is required'),
    precondition: (request) =>
      request.headers['anthropic-version'] === undefined ? anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required') : undefined,
    validAnswer: (path, url) => {
      if (path !== '/v1/models') return undefined;
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 20) || 20, pageSize);
      const after = url.searchParams.get('after_id');
      const start = after ? models.findIndex((model) => (model as { id: string }).id === after) + 1 : 0;
      const page = models.slice(start, start + limit) as { id: string }[];
      return {
        status: 200,
        body: { data: page, has_more: start + limit < models.length, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null },
      };
    },
    errorAnswer,
  };
}

export function startAnthropicFake(options: AnthropicFakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider(anthropicBehaviour(options), options);
}
