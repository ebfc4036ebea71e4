import { Capability } from '../../models/capability';
import { expectedAnswer, incompatible } from '../classify';
import { Protocol } from '../protocol';
import { field } from '../provider-signals';
import { collectPages } from './paging';
import { capabilityList, readModels, stringField, type ProtocolAdapter } from './protocol-adapter';
import type { DiscoveredModel } from '../verify-outcome';

/** Anthropic: `GET {endpoint}/v1/models`, paged with `has_more` / `last_id` / `after_id`. */
const EXPECTED = expectedAnswer(Protocol.ANTHROPIC);
const API_VERSION = '2023-06-01';
const PAGE_LIMIT = '1000';

export const anthropicAdapter: ProtocolAdapter = {
  keyRequired: true,
  authHeaders: (apiKey) => ({ 'x-api-key': apiKey, 'anthropic-version': API_VERSION }),
  async verify(caller) {
    // The stored endpoint is normally the bare host; tolerate one that already ends in /v1.
    const path = caller.endpointPath.endsWith('/v1') ? 'models' : 'v1/models';
    const listing = await collectPages<DiscoveredModel>(async (cursor) => {
      const query: Record<string, string> = { limit: PAGE_LIMIT, ...(cursor ? { after_id: cursor } : {}) };
      const answer = await caller.getJson({ path, query, expected: EXPECTED });
      if (answer.kind !== 'ok') return answer;
      const items = readModels(field(answer.body, 'data'), {
        listName: 'data',
        expected: EXPECTED,
          displayNameOf: (entry) => stringField(entry, 'display_name'),
        capabilitiesOf: anthropicCapabilities,
      });
      if (!Array.isArray(items)) return items;
      if (field(answer.body, 'has_more') !== true) return { kind: 'page', items };
      const next = stringField(answer.body, 'last_id');
      return next ? { kind: 'page', items, next } : incompatible('The answer says has_more but gives no last_id', EXPECTED, 200);
    }, EXPECTED);
    return listing.kind === 'ok' ? { kind: 'ok', models: listing.items } : listing;
  },
};

/**
 * Newer answers carry `capabilities: { image_input: { supported }, ... }`. It says nothing about
 * text or tools (every listed model does both), so only vision is read from it.
 */
function anthropicCapabilities(entry: unknown): Capability[] | undefined {
  const capabilities = field(entry, 'capabilities');
  if (typeof capabilities !== 'object' || capabilities === null) return undefined;
  return capabilityList(field(field(capabilities, 'image_input'), 'supported') === true ? [Capability.VISION] : []);
}
