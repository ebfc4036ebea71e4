import { bearerKey } from './shared-answers';
import { startFakeProvider, type Answer, type ErrorScenario, type FakeProvider, type FakeProviderOptions, type ProviderBehaviour } from './fake-provider';

export interface OpenRouterFakeOptions extends FakeProviderOptions {
  readonly models?: readonly unknown[];
  /** What `GET /key` says about a valid key (merged over a free, unlimited key). */
  readonly keyInfo?: Readonly<Record<string, unknown>>;
}

export const DEFAULT_OPENROUTER_MODELS: readonly unknown[] = [
  {
    id: 'openai/gpt-4o',
    name: 'OpenAI: GPT-4o',
    architecture: { modality: 'text+image->text', input_modalities: ['text', 'image', 'file'], output_modalities: ['text'] },
    supported_parameters: ['tools', 'tool_choice', 'temperature', 'max_tokens'],
  },
  {
    id: 'google/gemini-2.5-flash-image',
    name: 'Google: Gemini 2.5 Flash Image',
    architecture: { modality: 'text+image->text+image', input_modalities: ['image', 'text'], output_modalities: ['image', 'text'] },
    supported_parameters: ['temperature', 'max_tokens'],
  },
  {
    id: 'meta-llama/llama-3.1-8b-instruct',
    name: 'Meta: Llama 3.1 8B Instruct',
    architecture: { modality: 'text->text', input_modalities: ['text'], output_modalities: ['text'] },
    supported_parameters: ['temperature'],
  },
];

function openRouterError(status: number, message: string): Answer {
  return { status, body: { error: { message, code: status } } };
}

function errorAnswer(scenario: ErrorScenario, key: string): Answer {
  switch (scenario) {
    case 'unauthorized':
      return openRouterError(401, 'User not found.');
    case 'echo_key':
      return openRouterError(401, `No user found for key ${key}`);
    case 'forbidden':
      return openRouterError(403, 'This key is disabled.');
    case 'payment_required':
      return openRouterError(402, 'Insufficient credits. Add more using https://openrouter.ai/settings/credits');
    case 'rate_limited':
      return openRouterError(429, 'Rate limit exceeded: 20 requests per 10s');
    case 'insufficient_quota':
      return openRouterError(429, 'Key limit exceeded: add credits or raise the limit of this key');
    case 'server_error':
      return openRouterError(500, 'Internal Server Error');
    case 'overloaded':
      return openRouterError(529, 'Provider overloaded');
    case 'not_found':
      return openRouterError(404, 'Not Found');
  }
}

export function openRouterBehaviour(options: OpenRouterFakeOptions = {}): ProviderBehaviour {
  const models = options.models ?? DEFAULT_OPENROUTER_MODELS;
  return {
    basePath: '/api/v1',
    unknownKeyScenario: 'unauthorized',
    readKey: (request) => bearerKey(request),
    missingKey: () => openRouterError(401, 'No auth credentials found'),
    // The model list is public: it answers 200 to anyone, which is why it cannot prove a key.
    publicAnswer: (path) => (path === '/models' ? { status: 200, body: { data: models } } : undefined),
    validAnswer: (path) =>
      path === '/key'
        ? {
            status: 200,
            body: {
              data: { label: 'sk-or-v1-abc...wxyz', limit: null, limit_remaining: null, usage: 0.25, is_free_tier: false, is_provisioning_key: false, ...options.keyInfo },
            },
          }
        : undefined,
    errorAnswer,
  };
}

export function startOpenRouterFake(options: OpenRouterFakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider(openRouterBehaviour(options), options);
}
