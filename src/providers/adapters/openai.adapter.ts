import { Capability } from '../../models/capability';
import { expectedAnswer } from '../classify';
import { Protocol } from '../protocol';
import { field } from '../provider-signals';
import { capabilityList, readModels, stringField, TEXT_GENERATION, TOOL_CALLING, type ProtocolAdapter } from './protocol-adapter';

/**
 * OpenAI and every OpenAI-compatible API (xAI, DeepSeek, Mistral, Groq, Together, most custom ones):
 * `GET {endpoint}/models` with a Bearer key. The listing needs the key, so it proves it for free.
 */
const EXPECTED = expectedAnswer(Protocol.OPENAI);

export const openAiAdapter: ProtocolAdapter = {
  keyRequired: true,
  authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  async verify(caller) {
    const answer = await caller.getJson({ path: 'models', expected: EXPECTED });
    if (answer.kind !== 'ok') return answer;
    // Together answers with a bare array; everyone else with `{ data: [...] }`.
    const models = readModels(Array.isArray(answer.body) ? answer.body : field(answer.body, 'data'), {
      listName: 'data',
      expected: EXPECTED,
      displayNameOf: (entry) => stringField(entry, 'display_name') ?? stringField(entry, 'name'),
      capabilitiesOf: mistralCapabilities,
      // Groq marks retired models `active: false`; they can no longer be called.
      include: (entry) => field(entry, 'active') !== false,
    });
    return Array.isArray(models) ? { kind: 'ok', models } : models;
  },
};

/** Mistral describes each model with `capabilities: { completion_chat, function_calling, vision, ... }`. */
function mistralCapabilities(entry: unknown): Capability[] | undefined {
  const capabilities = field(entry, 'capabilities');
  const flag = (name: string) => field(capabilities, name);
  if (![flag('completion_chat'), flag('function_calling'), flag('vision')].some((value) => typeof value === 'boolean')) return undefined;
  return capabilityList([
    ...(flag('completion_chat') === true ? TEXT_GENERATION : []),
    ...(flag('function_calling') === true ? TOOL_CALLING : []),
    ...(flag('vision') === true ? [Capability.VISION] : []),
  ]);
}
