import type { KeyErrorCode } from '../keys/key-error-code';
import type { Capability } from '../models/capability';
import type { Protocol } from './protocol';

/** What the worker asks: test this key against this endpoint. Never logged: it holds the key. */
export interface VerifyKeyRequest {
  readonly protocol: Protocol;
  /** The built-in provider's slug (`openai`, `xai`, ...); undefined for custom providers. */
  readonly providerSlug?: string;
  /** The base URL as stored, e.g. `https://api.openai.com/v1`. */
  readonly endpoint: string;
  readonly apiKey: string;
}

export interface DiscoveredModel {
  /** The provider's own id (Gemini's `models/` prefix removed). */
  readonly modelId: string;
  readonly displayName?: string;
  /**
   * Only what the provider itself said about the model, as positive claims; undefined when it said
   * nothing about capabilities, [] when it described the model and none of ours applied (an
   * embedding model). The catalog of well-known ids fills in the rest elsewhere.
   */
  readonly reportedCapabilities?: readonly Capability[];
}

/** Safe to store and show: the message is scrubbed and never holds the key. */
export interface KeyFailure {
  readonly code: KeyErrorCode;
  readonly message: string;
  readonly httpStatus?: number;
}

export type VerifyOutcome =
  | { readonly status: 'passed'; readonly models: readonly DiscoveredModel[]; readonly latencyMs: number; readonly requests: number }
  /** The provider accepted the key but rate limited the call, so the listing is unknown. */
  | { readonly status: 'rate_limited'; readonly failure: KeyFailure; readonly latencyMs: number; readonly requests: number }
  | { readonly status: 'failed'; readonly failure: KeyFailure; readonly retryable: boolean; readonly latencyMs: number; readonly requests: number };

/** How one provider answer (or the lack of one) is judged, before timing and counts are added. */
export type Verdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'rate_limited'; readonly failure: KeyFailure }
  | { readonly kind: 'failed'; readonly failure: KeyFailure; readonly retryable: boolean };

export type StopVerdict = Exclude<Verdict, { kind: 'ok' }>;
