import { KeyErrorCode } from '../../../src/keys/key-error-code';
import { Capability } from '../../../src/models/capability';
import { Protocol } from '../../../src/providers/protocol';
import { verifyKey } from '../../../src/providers/verify-key';
import { startOpenRouterFake, useFake, withFake } from '../../helpers/fake-providers';
import { FAKE_OPTIONS } from '../../helpers/key-assertions';

const GOOD = 'sk-or-v1-7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c';
const BAD = 'sk-or-v1-0000000000000000000000000000000000000bad';

describe('OpenRouter', () => {
  const fake = useFake(() => startOpenRouterFake({ keys: { [GOOD]: 'valid' } }));

  it('answers GET /models to anyone, so it cannot prove a key', async () => {
    const response = await fetch(`${fake().url}/models`);
    expect(response.status).toBe(200);
    const anotherBadKey = await fetch(`${fake().url}/models`, { headers: { authorization: `Bearer ${BAD}` } });
    expect(anotherBadKey.status).toBe(200);
  });

  it('fails a bad key on GET /key even though /models would answer 200', async () => {
    const outcome = await verifyKey({ protocol: Protocol.OPENROUTER, endpoint: fake().url, apiKey: BAD }, FAKE_OPTIONS);
    expect(outcome).toMatchObject({ status: 'failed', retryable: false, requests: 1, failure: { code: KeyErrorCode.INVALID_KEY, httpStatus: 401 } });
    expect(fake().requests('/key')).toBe(1);
    expect(fake().requests('/models')).toBe(0);
  });

  it('verifies with GET /key first, then lists /models with modality and tool hints', async () => {
    const outcome = await verifyKey({ protocol: Protocol.OPENROUTER, endpoint: fake().url, apiKey: GOOD }, FAKE_OPTIONS);
    expect(fake().log.map((entry) => entry.path)).toEqual(['/key', '/models']);
    expect(fake().log[0].headers.authorization).toBe(`Bearer ${GOOD}`);
    expect(outcome).toMatchObject({ status: 'passed', requests: 2 });
    expect(outcome.status === 'passed' && outcome.models).toEqual([
      {
        modelId: 'openai/gpt-4o',
        displayName: 'OpenAI: GPT-4o',
        reportedCapabilities: [Capability.WRITING, Capability.REPLIES, Capability.AGENTS, Capability.TOOLS, Capability.VISION],
      },
      {
        modelId: 'google/gemini-2.5-flash-image',
        displayName: 'Google: Gemini 2.5 Flash Image',
        reportedCapabilities: [Capability.WRITING, Capability.REPLIES, Capability.VISION, Capability.IMAGES],
      },
      { modelId: 'meta-llama/llama-3.1-8b-instruct', displayName: 'Meta: Llama 3.1 8B Instruct', reportedCapabilities: [Capability.WRITING, Capability.REPLIES] },
    ]);
  });

  it('stops at a rate-limited /key without listing', async () => {
    fake().setKey(GOOD, 'rate_limited');
    const outcome = await verifyKey({ protocol: Protocol.OPENROUTER, endpoint: fake().url, apiKey: GOOD }, FAKE_OPTIONS);
    expect(outcome).toMatchObject({ status: 'rate_limited', failure: { code: KeyErrorCode.RATE_LIMITED } });
    expect(fake().requests('/models')).toBe(0);
  });

  it('fails a key that has used up its credit limit', () =>
    withFake(startOpenRouterFake({ keys: { [GOOD]: 'valid' }, keyInfo: { limit: 5, limit_remaining: 0 } }), async (limited) => {
      const outcome = await verifyKey({ protocol: Protocol.OPENROUTER, endpoint: limited.url, apiKey: GOOD }, FAKE_OPTIONS);
      expect(outcome).toMatchObject({ status: 'failed', retryable: false, failure: { code: KeyErrorCode.QUOTA_EXCEEDED } });
      expect(limited.requests('/models')).toBe(0);
    }));
});
