import { expectedAnswer } from '../classify';
import { Protocol } from '../protocol';
import { field } from '../provider-signals';
import { discoveredModel, modelEntries, stringField, type ProtocolAdapter } from './protocol-adapter';

/**
 * Ollama: `GET {endpoint}/api/tags`. A local Ollama has no keys; hosted ones take a Bearer key, so one
 * is sent only when given.
 */
const EXPECTED = expectedAnswer(Protocol.OLLAMA);

export const ollamaAdapter: ProtocolAdapter = {
  keyRequired: false,
  authHeaders: (apiKey): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  async verify(caller) {
    const answer = await caller.getJson({ path: 'api/tags', expected: EXPECTED });
    if (answer.kind !== 'ok') return answer;
    const entries = modelEntries(field(answer.body, 'models'), 'name', 'models', EXPECTED);
    if (!Array.isArray(entries)) return entries;
    const models = entries.flatMap((entry) => {
      const id = stringField(entry, 'name') ?? stringField(entry, 'model');
      return id ? [discoveredModel(id, undefined, undefined)] : [];
    });
    return { kind: 'ok', models };
  },
};
