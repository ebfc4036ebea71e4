import type { IncomingMessage } from 'node:http';
import type { Answer } from './fake-provider';

/** Answers more than one fake gives the same way, read off the real providers. */

/** Google answers a made-up key with 400, not 401. */
export function geminiInvalidKey(): Answer {
  const message = 'API key not valid. Please pass a valid API key.';
  return {
    status: 400,
    body: {
      error: {
        code: 400,
        message,
        status: 'INVALID_ARGUMENT',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
          { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
        ],
      },
    },
  };
}

/** xAI answers a made-up key with 400 and a partly masked echo of it. */
export function xaiInvalidKey(key: string): Answer {
  return {
    status: 400,
    body: {
      code: 'Client specified an invalid argument',
      error: `Incorrect API key provided: ${key.slice(0, 2)}***${key.slice(-2)}. You can obtain an API key from https://console.x.ai.`,
    },
  };
}

/** The masked echo OpenAI puts in its 401 message (the first 8 and last 4 characters). */
export function maskedEcho(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : '***';
}

/** The Bearer token exactly as providers read it: `Authorization: Bearer <key>`, nothing else. */
export function bearerKey(request: IncomingMessage): string | undefined {
  const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
  return match?.[1];
}
