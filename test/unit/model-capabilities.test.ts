import { Capability } from '../../src/models/capability';
import { capabilitiesFor, displayNameFor, isChatLikeModelId, isNonGenerativeModelId } from '../../src/models/model-capabilities';

const { WRITING, REPLIES, AGENTS, TOOLS, VISION, IMAGES } = Capability;
const TEXT = [WRITING, REPLIES];
const TEXT_TOOLS = [WRITING, REPLIES, AGENTS, TOOLS];
const MULTIMODAL = [WRITING, REPLIES, AGENTS, TOOLS, VISION];

const caps = (modelId: string, providerSlug?: string, reportedCapabilities?: Capability[]) =>
  capabilitiesFor({ providerSlug, modelId, reportedCapabilities });

describe('isNonGenerativeModelId', () => {
  it.each([
    'text-embedding-3-large',
    'text-embedding-ada-002',
    'omni-moderation-latest',
    'text-moderation-stable',
    'whisper-1',
    'whisper-large-v3-turbo',
    'tts-1',
    'tts-1-hd',
    'gpt-4o-mini-tts',
    'gpt-4o-transcribe',
    'gpt-4o-audio-preview',
    'gpt-4o-realtime-preview-2024-12-17',
    'mistral-embed',
    'mistral-moderation-latest',
    'mistral-ocr-latest',
    'gemini-embedding-001',
    'models/text-embedding-004',
    'gemini-2.5-flash-preview-tts',
    'rerank-english-v3.0',
    'mixedbread-ai/Mxbai-Rerank-Large-V2',
    'Salesforce/Llama-Rank-V1',
    'meta-llama/Llama-Guard-4-12B',
    'meta-llama/llama-prompt-guard-2-86m',
    'BAAI/bge-large-en-v1.5',
    'intfloat/multilingual-e5-large-instruct',
    'nomic-embed-text:latest',
    'playai-tts',
    'some-toxicity-classifier',
  ])('%s', (modelId) => {
    expect(isNonGenerativeModelId(modelId)).toBe(true);
    expect(isChatLikeModelId(modelId)).toBe(false);
  });

  it.each(['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'llama-3.3-70b-versatile', 'dall-e-3', 'mistral-small-latest', 'o3', 'stts-large'])(
    'is false for %s',
    (modelId) => expect(isNonGenerativeModelId(modelId)).toBe(false),
  );
});

describe('isChatLikeModelId', () => {
  it.each(['my-chat-model', 'acme-instruct-v2', 'fast-turbo', 'llama-2-13b', 'Qwen/QwQ-32B', 'phi-3-mini', 'command-light', 'gemma-7b-it', 'o9', 'yi-large'])(
    '%s is chat-like',
    (modelId) => expect(isChatLikeModelId(modelId)).toBe(true),
  );

  it.each(['foo-bar-7', 'dall-e-3', 'gpt-image-1', 'sora-2', 'text-embedding-3-small', 'mistral-embed', 'aqa', 'sophia-7'])(
    '%s is not',
    (modelId) => expect(isChatLikeModelId(modelId)).toBe(false),
  );
});

describe('capabilitiesFor', () => {
  it('gives non-generative models nothing, whatever the catalog or the provider says', () => {
    for (const modelId of ['text-embedding-3-large', 'omni-moderation-latest', 'whisper-1', 'tts-1', 'mistral-embed', 'gemini-embedding-001', 'rerank-2']) {
      expect(caps(modelId)).toEqual([]);
      expect(caps(modelId, 'openai', [WRITING, REPLIES, TOOLS])).toEqual([]);
    }
  });

  it('gives image generation models IMAGES only', () => {
    expect(caps('dall-e-3', 'openai')).toEqual([IMAGES]);
    expect(caps('gpt-image-1')).toEqual([IMAGES]);
    expect(caps('imagen-4.0-generate-001', 'google')).toEqual([IMAGES]);
    expect(caps('imagen-3.0-generate-002')).toEqual([IMAGES]);
    expect(caps('grok-2-image-1212', 'xai')).toEqual([IMAGES]);
    expect(caps('black-forest-labs/FLUX.1-schnell-Free', 'together')).toEqual([IMAGES]);
    expect(caps('stabilityai/stable-diffusion-xl-base-1.0')).toEqual([IMAGES]);
    expect(caps('gemini-2.5-flash-image-preview')).toEqual([IMAGES]);
  });

  it('tags the chat families', () => {
    expect(caps('gpt-4o', 'openai')).toEqual(MULTIMODAL);
    expect(caps('gpt-4o-mini')).toEqual(MULTIMODAL);
    expect(caps('gpt-4.1-nano')).toEqual(MULTIMODAL);
    expect(caps('gpt-5-mini', 'openai')).toEqual(MULTIMODAL);
    expect(caps('gpt-3.5-turbo')).toEqual(TEXT_TOOLS);
    expect(caps('o1')).toEqual(MULTIMODAL);
    expect(caps('o3', 'openai')).toEqual(MULTIMODAL);
    expect(caps('o4-mini')).toEqual(MULTIMODAL);
    expect(caps('o3-mini')).toEqual(TEXT_TOOLS);
    expect(caps('o1-mini')).toEqual(TEXT);
    expect(caps('claude-3-haiku-20240307')).toEqual(MULTIMODAL);
    expect(caps('claude-opus-4-5', 'anthropic')).toEqual(MULTIMODAL);
    expect(caps('claude-2.1')).toEqual(TEXT);
    expect(caps('gemini-2.5-flash-lite', 'google')).toEqual(MULTIMODAL);
    expect(caps('gemini-1.5-pro-002')).toEqual(MULTIMODAL);
    expect(caps('grok-4', 'xai')).toEqual(MULTIMODAL);
    expect(caps('grok-3-mini')).toEqual(TEXT_TOOLS);
    expect(caps('grok-2-vision-1212')).toEqual(MULTIMODAL);
    expect(caps('deepseek-chat', 'deepseek')).toEqual(TEXT_TOOLS);
    expect(caps('deepseek-ai/DeepSeek-R1-Distill-Llama-70B')).toEqual(TEXT);
    expect(caps('pixtral-12b-2409')).toEqual(MULTIMODAL);
    expect(caps('codestral-2501')).toEqual(TEXT_TOOLS);
    expect(caps('open-mistral-nemo', 'mistral')).toEqual(TEXT_TOOLS);
    expect(caps('meta-llama/llama-4-scout-17b-16e-instruct')).toEqual(MULTIMODAL);
    expect(caps('llama-3.2-11b-vision-preview')).toEqual([WRITING, REPLIES, VISION]);
    expect(caps('qwen/qwen3-32b')).toEqual(TEXT_TOOLS);
    expect(caps('llava:13b', 'ollama')).toEqual([WRITING, REPLIES, VISION]);
  });

  it('reads OpenRouter vendor/model ids and :free-style suffixes through the patterns', () => {
    expect(caps('anthropic/claude-3.5-sonnet', 'openrouter')).toEqual(MULTIMODAL);
    expect(caps('anthropic/claude-3.5-sonnet')).toEqual(MULTIMODAL);
    expect(caps('openai/gpt-4o-mini:free', 'openrouter')).toEqual(MULTIMODAL);
    expect(caps('openai/gpt-4o-mini:free')).toEqual(MULTIMODAL);
    expect(caps('google/gemini-2.0-flash-exp:free', 'openrouter')).toEqual(MULTIMODAL);
    expect(caps('x-ai/grok-3-beta', 'openrouter')).toEqual(TEXT_TOOLS);
    expect(caps('meta-llama/llama-3.3-70b-instruct:nitro')).toEqual(TEXT_TOOLS);
    expect(caps('openai/text-embedding-3-small', 'openrouter')).toEqual([]);
  });

  it('matches dated ids and ignores case', () => {
    expect(caps('claude-3-5-sonnet-20241022', 'anthropic')).toEqual(MULTIMODAL);
    expect(caps('claude-3-5-sonnet-20991231')).toEqual(MULTIMODAL);
    expect(caps('gpt-4o-2024-08-06')).toEqual(MULTIMODAL);
    expect(caps('gpt-4o-2099-01-01', 'openai')).toEqual(MULTIMODAL);
    expect(caps('o3-mini-2025-01-31', 'openai')).toEqual(TEXT_TOOLS);
    expect(caps('GPT-4O-MINI', 'openai')).toEqual(MULTIMODAL);
    expect(caps('Claude-Sonnet-4-5')).toEqual(MULTIMODAL);
    expect(caps('models/gemini-2.5-pro', 'google')).toEqual(MULTIMODAL);
    expect(caps('ft:gpt-4o-mini-2024-07-18:acme::abc123', 'openai')).toEqual(MULTIMODAL);
  });

  it('unites the catalog or pattern with what the provider reported', () => {
    expect(caps('mistral-large-latest', 'mistral', [VISION])).toEqual(MULTIMODAL);
    expect(caps('o3-mini', 'openai', [VISION])).toEqual(MULTIMODAL);
    expect(caps('acme-7b', 'acme-custom', [WRITING, TOOLS])).toEqual([WRITING, TOOLS]);
    expect(caps('foo-bar-7', undefined, [IMAGES])).toEqual([IMAGES]);
  });

  it('guesses text generation only for unknown chat-like ids with nothing reported', () => {
    expect(caps('acme-chat-7b')).toEqual(TEXT);
    expect(caps('my-instruct-model', 'acme-custom', [])).toEqual(TEXT);
    expect(caps('llama-2-70b-chat')).toEqual(TEXT);
    expect(caps('foo-bar-7')).toEqual([]);
    expect(caps('foo-bar-7', 'openai')).toEqual([]);
    // Reported capabilities are taken as they are, not widened by the guess.
    expect(caps('acme-chat-7b', undefined, [VISION])).toEqual([VISION]);
  });

  it('does not guess text for a model the tables know grants nothing', () => {
    expect(caps('grok-imagine-video')).toEqual([]);
    expect(caps('sora-2', 'openai')).toEqual([]);
    expect(caps('veo-3.0-generate-001', 'google')).toEqual([]);
  });

  it('answers in the enum order without duplicates', () => {
    expect(caps('acme-model', undefined, [IMAGES, VISION, TOOLS, WRITING, WRITING, IMAGES])).toEqual([WRITING, TOOLS, VISION, IMAGES]);
    expect(caps('gpt-4o', 'openai', [VISION, WRITING, REPLIES, IMAGES])).toEqual([...MULTIMODAL, IMAGES]);
  });

  it('returns a fresh array the caller may change', () => {
    const first = caps('gpt-4o', 'openai');
    first.push(IMAGES);
    expect(caps('gpt-4o', 'openai')).toEqual(MULTIMODAL);
  });
});

describe('displayNameFor', () => {
  it("uses the catalog's name, keeping a release or tag that sets the id apart", () => {
    expect(displayNameFor({ providerSlug: 'openai', modelId: 'gpt-4o-mini' })).toBe('GPT-4o mini');
    expect(displayNameFor({ providerSlug: 'openai', modelId: 'GPT-4o', reportedDisplayName: 'ignored' })).toBe('GPT-4o');
    expect(displayNameFor({ providerSlug: 'openai', modelId: 'gpt-4o-2024-05-13' })).toBe('GPT-4o (2024-05-13)');
    expect(displayNameFor({ providerSlug: 'anthropic', modelId: 'claude-sonnet-4-5-20250929' })).toBe('Claude Sonnet 4.5');
    expect(displayNameFor({ providerSlug: 'openrouter', modelId: 'openai/gpt-4o-mini:free' })).toBe('OpenAI: GPT-4o mini (free)');
    expect(displayNameFor({ providerSlug: 'ollama', modelId: 'llama3.2:latest' })).toBe('Llama 3.2');
    expect(displayNameFor({ providerSlug: 'ollama', modelId: 'qwen2.5:72b' })).toBe('Qwen 2.5 (72b)');
  });

  it("falls back to the provider's name, then to a tidied id", () => {
    expect(displayNameFor({ providerSlug: 'anthropic', modelId: 'claude-next', reportedDisplayName: ' Claude Next ' })).toBe('Claude Next');
    expect(displayNameFor({ providerSlug: 'acme', modelId: 'acme-7b', reportedDisplayName: '  ' })).toBe('Acme 7B');
    expect(displayNameFor({ modelId: 'gpt-4o-mini' })).toBe('GPT-4o mini');
    expect(displayNameFor({ modelId: 'anthropic/claude-3-5-haiku' })).toBe('Claude 3.5 haiku');
    expect(displayNameFor({ modelId: 'o3-mini-2025-01-31' })).toBe('o3 mini (2025-01-31)');
    expect(displayNameFor({ modelId: 'meta-llama/Llama-3.3-70B-Instruct-Turbo:free' })).toBe('Llama 3.3 70B Instruct Turbo (free)');
    expect(displayNameFor({ modelId: 'mixtral-8x7b-32768' })).toBe('Mixtral 8x7B 32768');
  });

  it('never answers empty', () => {
    for (const modelId of ['x', '-', ':free', 'a/', '   ']) expect(displayNameFor({ modelId }).length).toBeGreaterThan(0);
  });
});
