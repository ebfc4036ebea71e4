import { bearerKey } from './shared-answers';
import { startFakeProvider, type Answer, type ErrorScenario, type FakeProvider, type FakeProviderOptions, type ProviderBehaviour } from './fake-provider';

export interface OllamaFakeOptions extends FakeProviderOptions {
  readonly models?: readonly unknown[];
  /** A hosted Ollama behind a Bearer key; a local one (the default) takes no key at all. */
  readonly requireKey?: boolean;
}

export const DEFAULT_OLLAMA_MODELS: readonly unknown[] = [
  {
    name: 'llama3.2:latest',
    model: 'llama3.2:latest',
    modified_at: '2025-01-01T00:00:00Z',
    size: 2_019_393_189,
    digest: 'a80c4f17acd5',
    details: { family: 'llama', parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
  },
  {
    name: 'nomic-embed-text:latest',
    model: 'nomic-embed-text:latest',
    modified_at: '2025-01-01T00:00:00Z',
    size: 274_302_450,
    digest: '0a109f422b47',
    details: { family: 'nomic-bert', parameter_size: '137M', quantization_level: 'F16' },
  },
];

function ollamaError(status: number, message: string): Answer {
  return { status, body: { error: message } };
}

function errorAnswer(scenario: ErrorScenario, key: string): Answer {
  switch (scenario) {
    case 'unauthorized':
      return ollamaError(401, 'unauthorized');
    case 'echo_key':
      return ollamaError(401, `unauthorized: unknown key ${key}`);
    case 'forbidden':
      return ollamaError(403, 'forbidden');
    case 'payment_required':
      return ollamaError(402, 'payment required');
    case 'rate_limited':
      return ollamaError(429, 'too many requests');
    case 'insufficient_quota':
      return ollamaError(429, 'you have used your monthly quota');
    case 'server_error':
      return ollamaError(500, 'internal server error');
    case 'overloaded':
      return ollamaError(529, 'server busy, please try again');
    case 'not_found':
      // Ollama's Go router answers unknown paths in plain text.
      return { status: 404, body: undefined, text: '404 page not found' };
  }
}

export function ollamaBehaviour(options: OllamaFakeOptions = {}): ProviderBehaviour {
  const models = options.models ?? DEFAULT_OLLAMA_MODELS;
  const requireKey = options.requireKey ?? false;
  return {
    basePath: '',
    // A local Ollama ignores whatever key is sent; a hosted one refuses keys it does not know.
    unknownKeyScenario: requireKey ? 'unauthorized' : 'valid',
    readKey: (request) => bearerKey(request) ?? (requireKey ? undefined : ''),
    missingKey: () => ollamaError(401, 'unauthorized'),
    validAnswer: (path) => (path === '/api/tags' ? { status: 200, body: { models } } : undefined),
    errorAnswer,
  };
}

export function startOllamaFake(options: OllamaFakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider(ollamaBehaviour(options), options);
}
