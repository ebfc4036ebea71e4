import { Capability } from '../../models/capability';
import { KeyErrorCode } from '../../keys/key-error-code';
import { expectedAnswer, incompatible } from '../classify';
import { Protocol } from '../protocol';
import { field } from '../provider-signals';
import { capabilityList, readModels, stringField, TEXT_GENERATION, TOOL_CALLING, type ProtocolAdapter } from './protocol-adapter';

/**
 * OpenRouter's `GET /models` is public and answers 200 to anyone, so it proves nothing about a key.
 * The key is proven by `GET {endpoint}/key` (its own metadata); only then is `/models` read for ids.
 */
const EXPECTED_KEY = expectedAnswer(Protocol.OPENROUTER);
const EXPECTED_MODELS = 'an OpenRouter GET /models answer';

export const openRouterAdapter: ProtocolAdapter = {
  keyRequired: true,
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  async verify(caller) {
    const keyAnswer = await caller.getJson({ path: 'key', expected: EXPECTED_KEY });
    if (keyAnswer.kind !== 'ok') return keyAnswer;
    const data = field(keyAnswer.body, 'data');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return incompatible('The answer has no "data" object', EXPECTED_KEY, 200);
    // A key with a credit limit it has used up is valid but cannot call anything.
    const limit = field(data, 'limit');
    const remaining = field(data, 'limit_remaining');
    if (typeof limit === 'number' && typeof remaining === 'number' && remaining <= 0) {
      return {
        kind: 'failed',
        failure: { code: KeyErrorCode.QUOTA_EXCEEDED, message: `This key has used its whole credit limit (${limit}). Raise the key's limit on OpenRouter, then test again.` },
        retryable: false,
      };
    }

    const listing = await caller.getJson({ path: 'models', expected: EXPECTED_MODELS });
    if (listing.kind !== 'ok') return listing;
    const models = readModels(field(listing.body, 'data'), {
      listName: 'data',
      expected: EXPECTED_MODELS,
      displayNameOf: (entry) => stringField(entry, 'name'),
      capabilitiesOf: openRouterCapabilities,
    });
    return Array.isArray(models) ? { kind: 'ok', models } : models;
  },
};

/** Modalities: image in → VISION, image out → IMAGES, text out → text generation; `tools` → tool calling. */
function openRouterCapabilities(entry: unknown): Capability[] | undefined {
  const architecture = field(entry, 'architecture');
  const inputs = stringsOf(field(architecture, 'input_modalities'));
  const outputs = stringsOf(field(architecture, 'output_modalities'));
  const parameters = stringsOf(field(entry, 'supported_parameters'));
  if (!inputs && !outputs && !parameters) return undefined;
  return capabilityList([
    ...(inputs?.includes('image') ? [Capability.VISION] : []),
    ...(outputs?.includes('image') ? [Capability.IMAGES] : []),
    ...(outputs?.includes('text') ? TEXT_GENERATION : []),
    ...(parameters?.includes('tools') ? TOOL_CALLING : []),
  ]);
}

function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}
