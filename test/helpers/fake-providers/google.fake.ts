import { startFakeProvider, type Answer, type ErrorScenario, type FakeProvider, type FakeProviderOptions, type ProviderBehaviour } from './fake-provider';

export interface GoogleFakeOptions extends FakeProviderOptions {
  readonly models?: readonly unknown[];
  /** The most the fake puts on a page whatever `pageSize` asks for, so tests cross pages (default 2). */
  readonly pageSize?: number;
}

const generating = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];

export const DEFAULT_GOOGLE_MODELS: readonly unknown[] = [
  { name: 'models/gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, supportedGenerationMethods: generating },
  { name: 'models/gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, supportedGenerationMethods: generating },
  { name: 'models/text-embedding-004', displayName: 'Text Embedding 004', inputTokenLimit: 2048, outputTokenLimit: 1, supportedGenerationMethods: ['embedContent'] },
  { name: 'models/imagen-3.0-generate-002', displayName: 'Imagen 3.0', inputTokenLimit: 480, outputTokenLimit: 8192, supportedGenerationMethods: ['predict'] },
  { name: 'models/gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', inputTokenLimit: 1_048_576, outputTokenLimit: 8192, supportedGenerationMethods: generating },
];

function googleError(code: number, status: string, message: string, details: unknown[] = []): Answer {
  return { status: code, body: { error: { code, message, status, ...(details.length ? { details } : {}) } } };
}

const quotaFailure = (quotaId: string) => ({
  '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
  violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId }],
});
const QUOTA_MESSAGE =
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.';

function errorAnswer(scenario: ErrorScenario, key: string): Answer {
  switch (scenario) {
    case 'unauthorized':
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
    case 'echo_key':
      return googleError(401, 'UNAUTHENTICATED', `API key ${key} is not valid for this project.`);
    case 'forbidden':
      return googleError(403, 'PERMISSION_DENIED', 'Generative Language API has not been used in project 123456 before or it is disabled.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', domain: 'googleapis.com' },
      ]);
    case 'payment_required':
      return googleError(402, 'FAILED_PRECONDITION', 'A billing account is required to use this model.');
    // Gemini calls both of these a quota; only the quota window tells a rate limit from an empty tank.
    case 'rate_limited':
      return googleError(429, 'RESOURCE_EXHAUSTED', QUOTA_MESSAGE, [quotaFailure('GenerateRequestsPerMinutePerProjectPerModel-FreeTier')]);
    case 'insufficient_quota':
      return googleError(429, 'RESOURCE_EXHAUSTED', QUOTA_MESSAGE, [quotaFailure('GenerateRequestsPerDayPerProjectPerModel-FreeTier')]);
    case 'server_error':
      return googleError(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    case 'overloaded':
      return googleError(529, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
    case 'not_found':
      return googleError(404, 'NOT_FOUND', 'Method not found.');
  }
}

export function googleBehaviour(options: GoogleFakeOptions = {}): ProviderBehaviour {
  const models = options.models ?? DEFAULT_GOOGLE_MODELS;
  const pageSize = options.pageSize ?? 2;
  return {
    basePath: '/v1beta',
    unknownKeyScenario: 'gemini_invalid_key',
    // Google also takes `?key=`; the fake does too, so a test can catch an adapter that puts it there.
    readKey: (request, url) => (request.headers['x-goog-api-key'] as string | undefined) ?? url.searchParams.get('key') ?? undefined,
    missingKey: () =>
      googleError(
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      ),
    validAnswer: (path, url) => {
      if (path !== '/models') return undefined;
      const size = Math.min(Number(url.searchParams.get('pageSize') ?? 50) || 50, pageSize);
      const token = url.searchParams.get('pageToken');
      const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace('offset:', '')) : 0;
      const end = start + size;
      const nextPageToken = end < models.length ? Buffer.from(`offset:${end}`).toString('base64url') : undefined;
      return { status: 200, body: { models: models.slice(start, end), ...(nextPageToken ? { nextPageToken } : {}) } };
    },
    errorAnswer,
  };
}

export function startGoogleFake(options: GoogleFakeOptions = {}): Promise<FakeProvider> {
  return startFakeProvider(googleBehaviour(options), options);
}
