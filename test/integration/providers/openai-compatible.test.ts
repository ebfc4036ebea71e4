import { KeyErrorCode } from '../../../src/keys/key-error-code';
import { Capability } from '../../../src/models/capability';
import { Protocol } from '../../../src/providers/protocol';
import { verifyKey, type VerifyKeyRequest } from '../../../src/providers/verify-key';
import { startOpenAiFake, withFake, type FakeProvider, type OpenAiFlavor } from '../../helpers/fake-providers';
import { expectNoKeyIn, FAKE_OPTIONS } from '../../helpers/key-assertions';

const KEY = 'sk-Tq3Wd5Fg7Hj9Kl1Zx3Cv5Bn7Mq9Wr1Et3Yu5';

const withFlavor = <T>(flavor: OpenAiFlavor, work: (fake: FakeProvider) => Promise<T>): Promise<T> =>
  withFake(startOpenAiFake({ flavor, keys: { [KEY]: 'valid' } }), work);

const request = (fake: FakeProvider, overrides: Partial<VerifyKeyRequest> = {}): VerifyKeyRequest => ({
  protocol: Protocol.OPENAI,
  endpoint: fake.url,
  apiKey: KEY,
  ...overrides,
});

describe('OpenAI-compatible providers', () => {
  it('send the key as `Authorization: Bearer` and never in the URL', () =>
    withFlavor('openai', async (fake) => {
      await verifyKey(request(fake), FAKE_OPTIONS);
      expect(fake.log).toHaveLength(1);
      expect(fake.log[0]).toMatchObject({ method: 'GET', url: '/v1/models' });
      expect(fake.log[0].headers.authorization).toBe(`Bearer ${KEY}`);
    }));

  it.each(['', '/', '//'])('join the path whatever the endpoint ends with (%j)', (suffix) =>
    withFlavor('openai', async (fake) => {
      const outcome = await verifyKey(request(fake, { endpoint: `${fake.url}${suffix}` }), FAKE_OPTIONS);
      expect(outcome.status).toBe('passed');
      expect(fake.log[0].url).toBe('/v1/models');
    }));

  it('fail an xAI key with its 400 "Incorrect API key provided" as INVALID_KEY', () =>
    withFlavor('xai', async (fake) => {
      const badKey = 'xai-Pz7Rq2Ws4Ed6Rf8Tg0Yh2Uj4Ik6Ol8';
      const outcome = await verifyKey(request(fake, { providerSlug: 'xai', apiKey: badKey }), FAKE_OPTIONS);
      expect(outcome).toMatchObject({ status: 'failed', retryable: false, failure: { code: KeyErrorCode.INVALID_KEY, httpStatus: 400 } });
      expect(outcome.status === 'failed' && outcome.failure.message).toContain('Provider said: "Incorrect API key provided');
      expectNoKeyIn(JSON.stringify(outcome), badKey);
    }));

  it('read Mistral capabilities', () =>
    withFlavor('mistral', async (fake) => {
      const outcome = await verifyKey(request(fake), FAKE_OPTIONS);
      expect(outcome.status === 'passed' && outcome.models).toEqual([
        { modelId: 'mistral-large-latest', displayName: 'mistral-large-2411', reportedCapabilities: [Capability.WRITING, Capability.REPLIES, Capability.AGENTS, Capability.TOOLS] },
        {
          modelId: 'pixtral-large-latest',
          displayName: 'pixtral-large-2411',
          reportedCapabilities: [Capability.WRITING, Capability.REPLIES, Capability.AGENTS, Capability.TOOLS, Capability.VISION],
        },
        { modelId: 'mistral-embed', displayName: 'mistral-embed', reportedCapabilities: [] },
      ]);
    }));

  it('skip Groq models marked inactive', () =>
    withFlavor('groq', async (fake) => {
      const outcome = await verifyKey(request(fake), FAKE_OPTIONS);
      expect(outcome.status === 'passed' && outcome.models.map((model) => model.modelId)).toEqual(['llama-3.3-70b-versatile']);
    }));

  it("accept Together's bare array with display names", () =>
    withFlavor('together', async (fake) => {
      const outcome = await verifyKey(request(fake), FAKE_OPTIONS);
      expect(outcome.status === 'passed' && outcome.models).toEqual([
        { modelId: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', displayName: 'Llama 3.3 70B Instruct Turbo' },
        { modelId: 'black-forest-labs/FLUX.1-schnell', displayName: 'FLUX.1 [schnell]' },
      ]);
    }));

  it('say nothing about capabilities where OpenAI says nothing', () =>
    withFlavor('openai', async (fake) => {
      const outcome = await verifyKey(request(fake), FAKE_OPTIONS);
      expect(outcome.status === 'passed' && outcome.models.every((model) => model.reportedCapabilities === undefined)).toBe(true);
    }));

  it('fail a list whose entries have no ids', () =>
    withFake(startOpenAiFake({ keys: { [KEY]: 'valid' }, models: [{ name: 'no id here' }] }), async (fake) => {
      const outcome = await verifyKey(request(fake), FAKE_OPTIONS);
      expect(outcome).toMatchObject({ status: 'failed', failure: { code: KeyErrorCode.INCOMPATIBLE_ENDPOINT, message: expect.stringContaining('have no model ids') } });
    }));

  it('pass an empty list: the key works, it just unlocks nothing', () =>
    withFake(startOpenAiFake({ keys: { [KEY]: 'valid' }, models: [] }), async (fake) => {
      expect(await verifyKey(request(fake), FAKE_OPTIONS)).toMatchObject({ status: 'passed', models: [] });
    }));

  it.each([
    ['empty', ''],
    ['with a line break', `${KEY}\n`],
    ['with a space inside', 'sk-abc def'],
    ['with non-ASCII', 'sk-abcdéf'],
  ])('refuse a key that is %s without calling anyone', (_label, apiKey) =>
    withFlavor('openai', async (fake) => {
      const outcome = await verifyKey(request(fake, { apiKey }), FAKE_OPTIONS);
      expect(outcome).toMatchObject({ status: 'failed', retryable: false, requests: 0, failure: { code: KeyErrorCode.INVALID_KEY } });
      expect(fake.requests()).toBe(0);
    }));
});
