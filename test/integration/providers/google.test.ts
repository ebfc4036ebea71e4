import { Capability } from '../../../src/models/capability';
import { Protocol } from '../../../src/providers/protocol';
import { verifyKey } from '../../../src/providers/verify-key';
import { startGoogleFake, useFake } from '../../helpers/fake-providers';
import { FAKE_OPTIONS } from '../../helpers/key-assertions';

const KEY = 'AIzaSyB-4hUj8Kl2Mn6Bv0Cx4Zl8Qw2Er6Ty0Ui';

describe('Google (Gemini API)', () => {
  const fake = useFake(() => startGoogleFake({ keys: { [KEY]: 'valid' } }));

  it('sends the key in x-goog-api-key, never in the URL, and follows nextPageToken', async () => {
    const outcome = await verifyKey({ protocol: Protocol.GOOGLE, endpoint: fake().url, apiKey: KEY }, FAKE_OPTIONS);
    expect(outcome).toMatchObject({ status: 'passed', requests: 3 });
    expect(fake().log.map((entry) => new URL(entry.url, 'http://x').searchParams.get('pageToken'))).toEqual([null, expect.any(String), expect.any(String)]);
    for (const entry of fake().log) {
      expect(entry.headers['x-goog-api-key']).toBe(KEY);
      expect(entry.url).not.toContain('key=');
      expect(entry.url).toContain('pageSize=1000');
    }
  });

  it('strips "models/" and maps supportedGenerationMethods', async () => {
    const outcome = await verifyKey({ protocol: Protocol.GOOGLE, endpoint: fake().url, apiKey: KEY }, FAKE_OPTIONS);
    expect(outcome.status === 'passed' && outcome.models).toEqual([
      { modelId: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', reportedCapabilities: [Capability.WRITING, Capability.REPLIES] },
      { modelId: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', reportedCapabilities: [Capability.WRITING, Capability.REPLIES] },
      // Embedding only: the provider described it, and none of ours apply.
      { modelId: 'text-embedding-004', displayName: 'Text Embedding 004', reportedCapabilities: [] },
      // `predict` says nothing we can map, so the catalog decides.
      { modelId: 'imagen-3.0-generate-002', displayName: 'Imagen 3.0' },
      { modelId: 'gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', reportedCapabilities: [Capability.WRITING, Capability.REPLIES] },
    ]);
  });
});
