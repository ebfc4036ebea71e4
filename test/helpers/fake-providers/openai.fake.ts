import { bearerKey, maskedEcho } from './shared-answers';
import { startFakeProvider, type Answer, type ErrorScenario, type FakeProvider, type FakeProviderOptions, type ProviderBehaviour } from './fake-provider';

/** OpenAI-compatible providers differ in their bad-key answer, list shape and extra model fields. */
export type OpenAiFlavor = 'openai' | 'xai' | 'deepseek' | 'mistral' | 'groq' | 'together';

export interface OpenAiFakeOptions extends FakeProviderOptions {
  readonly flavor?: OpenAiFlavor;
  /** Model entries exactly as the provider lists them; defaults to a few per flavor. */
  readonly models?: readonly unknown[];
}

const created = 1_715_367_049;

export const DEFAULT_OPENAI_MODELS: Readonly<Record<OpenAiFlavor, readonly unknown[]>> = {
  openai: [
    { id: 'gpt-4o', object: 'model', created, owned_by: 'system' },
    { id: 'gpt-4o-mini', object: 'model', created, owned_by: 'system' },
    { id: 'text-embedding-3-small', object: 'model', created, owned_by: 'system' },
  ],
  xai: [
    { id: 'grok-4', object: 'model', created, owned_by: 'xai' },
    { id: 'grok-3-mini', object: 'model', created, owned_by: 'xai' },
  ],
  deepseek: [
    { id: 'deepseek-chat', object: 'model', owned_by: 'deepseek' },
    { id: 'deepseek-reasoner', object: 'model', owned_by: 'deepseek' },
  ],
  mistral: [
    {
      id: 'mistral-large-latest',
      object: 'model',
      name: 'mistral-large-2411',
      capabilities: { completion_chat: true, completion_fim: false, function_calling: true, fine_tuning: false, vision: false },
    },
    {
      id: 'pixtral-large-latest',
      object: 'model',
      name: 'pixtral-large-2411',
      capabilities: { completion_chat: true, completion_fim: false, function_calling: true, fine_tuning: false, vision: true },
    },
    {
      id: 'mistral-embed',
      object: 'model',
      name: 'mistral-embed',
      capabilities: { completion_chat: false, completion_fim: false, function_calling: false, fine_tuning: false, vision: false },
    },
  ],
  groq: [
    { id: 'llama-3.3-70b-versatile', object: 'model', created, owned_by: 'Meta', active: true, context_window: 131_072 },
    { id: 'gemma-7b-it', object: 'model', created, owned_by: 'Google', active: false, context_window: 8192 },
  ],
  together: [
    { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', object: 'model', type: 'chat', display_name: 'Llama 3.3 70B Instruct Turbo', context_length: 131_072 },
    { id: 'black-forest-labs/FLUX.1-schnell', object: 'model', type: 'image', display_name: 'FLUX.1 [schnell]' },
  ],
};

function openAiError(status: number, message: string, type: string, code: string | null): Answer {
  return { status, body: { error: { message, type, param: null, code } } };
}

function errorAnswer(scenario: ErrorScenario, key: string): Answer {
  switch (scenario) {
    case 'unauthorized':
      return openAiError(401, `Incorrect API key provided: ${maskedEcho(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');
    case 'echo_key':
      return openAiError(401, `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');
    case 'forbidden':
      return openAiError(403, 'Country, region, or territory not supported', 'request_forbidden', 'unsupported_country_region_territory');
    case 'payment_required':
      return openAiError(402, 'Insufficient Balance', 'unknown_error', 'invalid_request_error');
    case 'rate_limited':
      return openAiError(429, 'Rate limit reached for requests in organization org-abc on requests per min (RPM): Limit 3, Used 3.', 'requests', 'rate_limit_exceeded');
    case 'insufficient_quota':
      return openAiError(429, 'You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota');
    case 'server_error':
      return openAiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
    case 'overloaded':
      return openAiError(529, 'The engine is currently overloaded, please try again later.', 'server_error', null);
    case 'not_found':
      return openAiError(404, 'Invalid URL (GET /v1/nothing)', 'invalid_request_error', null);
  }
}

export function openAiBehaviour(options: OpenAiFakeOptions = {}): ProviderBehaviour {
  const flavor = options.flavor ?? 'openai';
  const models = options.models ?? DEFAULT_OPENAI_MODELS[flavor];
  return {
    basePath: '/v1',
    unknownKeyScenario: flavor === 'xai' ? 'xai_invalid_key' : 'unauthorized',
    readKey: (request) => bearerKey(request),
    missingKey: () =>
      openAiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
        null,
      ),
    validAnswer: (path) => {
      if (path !== '/models') return undefined;
      // Together lists a bare array; the rest wrap it in an OpenAI list object.
      return { status: 200, body: flavor === 'together' ? models : { object: 'list', data: models } };
    },
    errorAnswer,
  };
}

export function startOpenAiFake(options: OpenAiFakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider(openAiBehaviour(options), options);
}
