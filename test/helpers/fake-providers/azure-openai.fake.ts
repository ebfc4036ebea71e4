import { startFakeProvider, type Answer, type ErrorScenario, type FakeProvider, type FakeProviderOptions, type ProviderBehaviour } from './fake-provider';

export interface AzureOpenAiFakeOptions extends FakeProviderOptions {
  readonly models?: readonly unknown[];
}

const capabilities = (chat: boolean, embeddings: boolean) => ({ fine_tune: false, inference: true, completion: false, chat_completion: chat, embeddings });

export const DEFAULT_AZURE_MODELS: readonly unknown[] = [
  { id: 'gpt-4o-2024-08-06', object: 'model', status: 'succeeded', lifecycle_status: 'generally-available', capabilities: capabilities(true, false) },
  { id: 'text-embedding-3-large', object: 'model', status: 'succeeded', lifecycle_status: 'generally-available', capabilities: capabilities(false, true) },
  { id: 'dall-e-3', object: 'model', status: 'succeeded', lifecycle_status: 'generally-available', capabilities: capabilities(false, false) },
];

function azureError(status: number, message: string, code = String(status)): Answer {
  return { status, body: { error: { code, message } } };
}

function errorAnswer(scenario: ErrorScenario, key: string): Answer {
  switch (scenario) {
    case 'unauthorized':
      return azureError(
        401,
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      );
    case 'echo_key':
      return azureError(401, `Access denied: subscription key ${key} is invalid.`);
    case 'forbidden':
      return azureError(403, 'Public access is disabled. Please configure private endpoint.');
    case 'payment_required':
      return azureError(402, 'The subscription has no payment method.');
    case 'rate_limited':
      return azureError(429, 'Requests to the Models_List Operation have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second.');
    case 'insufficient_quota':
      return azureError(429, 'You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota');
    case 'server_error':
      return azureError(500, 'The server had an error while processing your request.');
    case 'overloaded':
      return azureError(529, 'The service is overloaded.');
    case 'not_found':
      return azureError(404, 'Resource not found');
  }
}

export function azureOpenAiBehaviour(options: AzureOpenAiFakeOptions = {}): ProviderBehaviour {
  const models = options.models ?? DEFAULT_AZURE_MODELS;
  return {
    basePath: '',
    unknownKeyScenario: 'unauthorized',
    readKey: (request) => request.headers['api-key'] as string | undefined,
    missingKey: () => azureError(401, 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.'),
    // Without an api-version the real service finds no such resource.
    precondition: (_request, url) => (url.searchParams.get('api-version') ? undefined : azureError(404, 'Resource not found')),
    validAnswer: (path) => (path === '/openai/models' ? { status: 200, body: { object: 'list', data: models } } : undefined),
    errorAnswer,
  };
}

export function startAzureOpenAiFake(options: AzureOpenAiFakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider(azureOpenAiBehaviour(options), options);
}
