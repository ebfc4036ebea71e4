import { Capability } from '../../../src/models/capability';
import { Protocol } from '../../../src/providers/protocol';
import { verifyKey } from '../../../src/providers/verify-key';
import { startAzureOpenAiFake, useFake } from '../../helpers/fake-providers';
import { FAKE_OPTIONS } from '../../helpers/key-assertions';

const KEY = '9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a';

describe('Azure OpenAI', () => {
  const fake = useFake(() => startAzureOpenAiFake({ keys: { [KEY]: 'valid' } }));

  it('sends the api-key header and the api-version, and reads chat_completion', async () => {
    const outcome = await verifyKey({ protocol: Protocol.AZURE_OPENAI, endpoint: fake().url, apiKey: KEY }, FAKE_OPTIONS);
    expect(fake().log.map((entry) => entry.url)).toEqual(['/openai/models?api-version=2024-10-21']);
    expect(fake().log[0].headers['api-key']).toBe(KEY);
    expect(fake().log[0].headers.authorization).toBeUndefined();
    expect(outcome.status === 'passed' && outcome.models).toEqual([
      { modelId: 'gpt-4o-2024-08-06', reportedCapabilities: [Capability.WRITING, Capability.REPLIES] },
      { modelId: 'text-embedding-3-large', reportedCapabilities: [] },
      { modelId: 'dall-e-3', reportedCapabilities: [] },
    ]);
  });

  it('tolerates an endpoint that already ends in /openai', async () => {
    const outcome = await verifyKey({ protocol: Protocol.AZURE_OPENAI, endpoint: `${fake().url}/openai/`, apiKey: KEY }, FAKE_OPTIONS);
    expect(outcome.status).toBe('passed');
    expect(fake().log[0].path).toBe('/openai/models');
  });
});
