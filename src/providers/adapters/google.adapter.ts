import type { Capability } from '../../models/capability';
import { expectedAnswer, incompatible } from '../classify';
import { Protocol } from '../protocol';
import { field } from '../provider-signals';
import type { DiscoveredModel } from '../verify-outcome';
import { collectPages } from './paging';
import { capabilityList, readModels, stringField, TEXT_GENERATION, type ProtocolAdapter } from './protocol-adapter';

/**
 * Google's Gemini API: `GET {endpoint}/models`, paged with `pageSize` / `nextPageToken`. The key goes
 * in `x-goog-api-key`, never in `?key=`: URLs end up in logs.
 */
const EXPECTED = expectedAnswer(Protocol.GOOGLE);
const PAGE_SIZE = '1000';

/** Methods that only embed or count: such a model generates nothing our capabilities describe. */
const NON_GENERATING_METHODS = new Set(['embedContent', 'batchEmbedContents', 'asyncBatchEmbedContent', 'embedText', 'batchEmbedText', 'countTokens', 'countTextTokens']);

export const googleAdapter: ProtocolAdapter = {
  keyRequired: true,
  authHeaders: (apiKey) => ({ 'x-goog-api-key': apiKey }),
  async verify(caller) {
    const listing = await collectPages<DiscoveredModel>(async (cursor) => {
      const query: Record<string, string> = { pageSize: PAGE_SIZE, ...(cursor ? { pageToken: cursor } : {}) };
      const answer = await caller.getJson({ path: 'models', query, expected: EXPECTED });
      if (answer.kind !== 'ok') return answer;
      const items = readModels(field(answer.body, 'models'), {
        listName: 'models',
        expected: EXPECTED,
        idOf: (entry) => stringField(entry, 'name')?.replace(/^models\//, '') || undefined,
        displayNameOf: (entry) => stringField(entry, 'displayName'),
        capabilitiesOf: geminiCapabilities,
      });
      if (!Array.isArray(items)) return items;
      const token = field(answer.body, 'nextPageToken');
      if (token !== undefined && typeof token !== 'string') return incompatible('"nextPageToken" is not a string', EXPECTED, 200);
      return { kind: 'page', items, next: token || undefined };
    }, EXPECTED);
    return listing.kind === 'ok' ? { kind: 'ok', models: listing.items } : listing;
  },
};

/** `supportedGenerationMethods` with generateContent means text generation; embedding-only means none of ours. */
function geminiCapabilities(entry: unknown): Capability[] | undefined {
  const methods = field(entry, 'supportedGenerationMethods');
  if (!Array.isArray(methods)) return undefined;
  if (methods.includes('generateContent')) return capabilityList(TEXT_GENERATION);
  // Methods we do not know (Imagen's `predict`, say) tell us nothing either way.
  return methods.every((method) => typeof method === 'string' && NON_GENERATING_METHODS.has(method)) ? [] : undefined;
}
