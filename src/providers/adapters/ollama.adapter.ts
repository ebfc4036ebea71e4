import { expectedAnswer } from '../classify';
import { Protocol } from '../protocol';
import { field } from '../provider-signals';
import { readModels, stringField, type ProtocolAdapter } from './protocol-adapter';

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
    const models = readModels(field(answer.body, 'models'), {
      listName: 'models',
      expected: EXPECTED,
      idOf: (entry) => stringField(entry, 'name') ?? stringField(entry, 'model'),
    });
    return Array.isArray(models) ? { kind: 'ok', models } : models;
  },
};
