import { KeyErrorCode } from '../../../src/keys/key-error-code';
import { Capability } from '../../../src/models/capability';
import { MAX_PAGES } from '../../../src/providers/adapters/paging';
import { Protocol } from '../../../src/providers/protocol';
import { verifyKey } from '../../../src/providers/verify-key';
import { anthropicBehaviour, startAnthropicFake, startFakeProvider, useFake, withFake } from '../../helpers/fake-providers';
import { FAKE_OPTIONS } from '../../helpers/key-assertions';

const KEY = 'sk-ant-api03-Mn4Bv6Cx8Zl0Kj2Hg4Fd6Sa8Qw0Er2Ty-XyZ';

describe('Anthropic', () => {
  const fake = useFake(() => startAnthropicFake({ keys: { [KEY]: 'valid' } }));

  it('sends x-api-key and anthropic-version, and follows has_more with after_id = last_id', async () => {
    const outcome = await verifyKey({ protocol: Protocol.ANTHROPIC, endpoint: fake().url, apiKey: KEY }, FAKE_OPTIONS);
    expect(outcome).toMatchObject({ status: 'passed', requests: 3 });
    expect(fake().log.map((entry) => entry.url)).toEqual([
      '/v1/models?limit=1000',
      '/v1/models?limit=1000&after_id=claude-sonnet-4-20250514',
      '/v1/models?limit=1000&after_id=claude-3-5-haiku-20241022',
    ]);
    for (const entry of fake().log) {
      expect(entry.headers['x-api-key']).toBe(KEY);
      expect(entry.headers['anthropic-version']).toBe('2023-06-01');
      expect(entry.headers.authorization).toBeUndefined();
    }
  });

  it('reads vision from capabilities where the listing has them, and nothing where it does not', async () => {
    const outcome = await verifyKey({ protocol: Protocol.ANTHROPIC, endpoint: fake().url, apiKey: KEY }, FAKE_OPTIONS);
    expect(outcome.status === 'passed' && outcome.models.slice(0, 3)).toEqual([
      { modelId: 'claude-opus-4-1-20250805', displayName: 'Claude Opus 4.1', reportedCapabilities: [Capability.VISION] },
      { modelId: 'claude-sonnet-4-20250514', displayName: 'Claude Sonnet 4', reportedCapabilities: [Capability.VISION] },
      { modelId: 'claude-3-7-sonnet-20250219', displayName: 'Claude Sonnet 3.7' },
    ]);
  });

  it('tolerates an endpoint that already ends in /v1', async () => {
    const outcome = await verifyKey({ protocol: Protocol.ANTHROPIC, endpoint: `${fake().url}/v1/`, apiKey: KEY }, FAKE_OPTIONS);
    expect(outcome.status).toBe('passed');
    expect(fake().log[0].path).toBe('/v1/models');
  });

  it('fails a listing that repeats its cursor, and one that never ends, instead of looping', async () => {
    const page = (lastId: string) => ({ status: 200, body: { data: [{ id: lastId, type: 'model' }], has_more: true, last_id: lastId } });
    let served = 0;
    const repeating = await startFakeProvider({ ...anthropicBehaviour(), validAnswer: () => page('same') }, { keys: { [KEY]: 'valid' } });
    const endless = await startFakeProvider({ ...anthropicBehaviour(), validAnswer: () => page(`model-${(served += 1)}`) }, { keys: { [KEY]: 'valid' } });
    try {
      const repeated = await verifyKey({ protocol: Protocol.ANTHROPIC, endpoint: repeating.url, apiKey: KEY }, FAKE_OPTIONS);
      expect(repeated).toMatchObject({ status: 'failed', retryable: false, failure: { code: KeyErrorCode.INCOMPATIBLE_ENDPOINT, message: expect.stringContaining('repeated a page cursor') } });
      expect(repeating.requests()).toBe(2);

      const unending = await verifyKey({ protocol: Protocol.ANTHROPIC, endpoint: endless.url, apiKey: KEY }, FAKE_OPTIONS);
      expect(unending).toMatchObject({ status: 'failed', failure: { code: KeyErrorCode.INCOMPATIBLE_ENDPOINT, message: expect.stringContaining(`did not end after ${MAX_PAGES} pages`) } });
      expect(endless.requests()).toBe(MAX_PAGES);
    } finally {
      await Promise.all([repeating.close(), endless.close()]);
    }
  });

  it('fails has_more without a last_id', () =>
    withFake(
      startFakeProvider({ ...anthropicBehaviour(), validAnswer: () => ({ status: 200, body: { data: [{ id: 'a', type: 'model' }], has_more: true } }) }, { keys: { [KEY]: 'valid' } }),
      async (broken) => {
        const outcome = await verifyKey({ protocol: Protocol.ANTHROPIC, endpoint: broken.url, apiKey: KEY }, FAKE_OPTIONS);
        expect(outcome).toMatchObject({ status: 'failed', failure: { code: KeyErrorCode.INCOMPATIBLE_ENDPOINT, message: expect.stringContaining('no last_id') } });
      },
    ));

  it('is refused by the fake without anthropic-version, as by the real API', async () => {
    const response = await fetch(`${fake().url}/v1/models`, { headers: { 'x-api-key': KEY } });
    expect(response.status).toBe(400);
  });
});
