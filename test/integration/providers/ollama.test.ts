import { KeyErrorCode } from '../../../src/keys/key-error-code';
import { Protocol } from '../../../src/providers/protocol';
import { verifyKey } from '../../../src/providers/verify-key';
import { startOllamaFake, withFake } from '../../helpers/fake-providers';
import { FAKE_OPTIONS } from '../../helpers/key-assertions';

describe('Ollama', () => {
  it('lists a local Ollama without sending any key', () =>
    withFake(startOllamaFake(), async (fake) => {
      const outcome = await verifyKey({ protocol: Protocol.OLLAMA, endpoint: fake.url, apiKey: '' }, FAKE_OPTIONS);
      expect(outcome).toMatchObject({ status: 'passed', requests: 1, models: [{ modelId: 'llama3.2:latest' }, { modelId: 'nomic-embed-text:latest' }] });
      expect(fake.log[0].url).toBe('/api/tags');
      expect(fake.log[0].headers.authorization).toBeUndefined();
    }));

  const key = 'ollama-Ab3Cd5Ef7Gh9Ij1Kl3Mn5';
  it('sends a Bearer key to a hosted Ollama only when one is given', () =>
    withFake(startOllamaFake({ requireKey: true, keys: { [key]: 'valid' } }), async (fake) => {
      expect(await verifyKey({ protocol: Protocol.OLLAMA, endpoint: fake.url, apiKey: key }, FAKE_OPTIONS)).toMatchObject({ status: 'passed' });
      expect(fake.log[0].headers.authorization).toBe(`Bearer ${key}`);
      const keyless = await verifyKey({ protocol: Protocol.OLLAMA, endpoint: fake.url, apiKey: '' }, FAKE_OPTIONS);
      expect(keyless).toMatchObject({ status: 'failed', failure: { code: KeyErrorCode.INVALID_KEY, httpStatus: 401 } });
    }));

  it('fails its plain-text 404 as an incompatible endpoint', () =>
    withFake(startOllamaFake({ defaultScenario: 'not_found' }), async (fake) => {
      const outcome = await verifyKey({ protocol: Protocol.OLLAMA, endpoint: fake.url, apiKey: '' }, FAKE_OPTIONS);
      expect(outcome).toMatchObject({ status: 'failed', failure: { code: KeyErrorCode.INCOMPATIBLE_ENDPOINT, httpStatus: 404, message: expect.stringContaining('expected an Ollama GET /api/tags answer') } });
    }));
});
