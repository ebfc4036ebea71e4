import type { Capability } from '../../models/capability';
import { expectedAnswer } from '../classify';
import { Protocol } from '../protocol';
import { field } from '../provider-signals';
import { capabilityList, readModels, TEXT_GENERATION, type ProtocolAdapter } from './protocol-adapter';

/**
 * Azure OpenAI: `GET {endpoint}/openai/models?api-version=...` with an `api-key` header. It lists the
 * models the resource can deploy; a deployment itself is only proven by calling it.
 */
const EXPECTED = expectedAnswer(Protocol.AZURE_OPENAI);
const API_VERSION = '2024-10-21';

export const azureOpenAiAdapter: ProtocolAdapter = {
  keyRequired: true,
  authHeaders: (apiKey) => ({ 'api-key': apiKey }),
  async verify(caller) {
    // Endpoints are usually the bare resource URL; tolerate one that already ends in /openai.
    const path = caller.endpointPath.endsWith('/openai') ? 'models' : 'openai/models';
    const answer = await caller.getJson({ path, query: { 'api-version': API_VERSION }, expected: EXPECTED });
    if (answer.kind !== 'ok') return answer;
    const models = readModels(field(answer.body, 'data'), {
      listName: 'data',
      expected: EXPECTED,
      capabilitiesOf: azureCapabilities,
    });
    return Array.isArray(models) ? { kind: 'ok', models } : models;
  },
};

/** `capabilities.chat_completion` is the only flag that maps onto ours. */
function azureCapabilities(entry: unknown): Capability[] | undefined {
  const capabilities = field(entry, 'capabilities');
  if (typeof field(capabilities, 'chat_completion') !== 'boolean') return undefined;
  return capabilityList(field(capabilities, 'chat_completion') === true ? TEXT_GENERATION : []);
}
