import { Capability } from '../../src/models/capability';
import {
  allCatalogModels,
  BUILT_IN_PROVIDER_SLUGS,
  catalogModelsFor,
  findCatalogModel,
  matchModelIdPattern,
} from '../../src/models/model-catalog';
import { capabilitiesFor } from '../../src/models/model-capabilities';
import { normalizeModelId } from '../../src/models/model-id';

const ORDER = Object.values(Capability);
const { WRITING, REPLIES, AGENTS, TOOLS, VISION, IMAGES } = Capability;

describe('model catalog', () => {
  it('has well-known models for every built-in provider', () => {
    expect([...BUILT_IN_PROVIDER_SLUGS].sort()).toEqual(
      ['anthropic', 'azure-openai', 'deepseek', 'google', 'groq', 'mistral', 'ollama', 'openai', 'openrouter', 'together', 'xai'],
    );
    for (const slug of BUILT_IN_PROVIDER_SLUGS) expect(catalogModelsFor(slug).length).toBeGreaterThan(0);
  });

  it('gives every entry a known slug, an id, a display name and ordered, distinct, valid tags', () => {
    for (const model of allCatalogModels()) {
      expect(BUILT_IN_PROVIDER_SLUGS).toContain(model.providerSlug);
      expect(model.modelId.trim()).toBe(model.modelId);
      expect(model.modelId).not.toBe('');
      expect(model.displayName.trim()).not.toBe('');
      const sorted = [...new Set(model.capabilities)].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
      expect(model.capabilities).toEqual(sorted);
      for (const capability of model.capabilities) expect(ORDER).toContain(capability);
    }
  });

  it('has no duplicate (provider, model id), ignoring case', () => {
    const keys = allCatalogModels().map((model) => `${model.providerSlug} ${normalizeModelId(model.modelId)}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });

  it('lists exactly the union of the per-provider lists', () => {
    const total = BUILT_IN_PROVIDER_SLUGS.reduce((sum, slug) => sum + catalogModelsFor(slug).length, 0);
    expect(allCatalogModels()).toHaveLength(total);
  });

  it('answers an empty list for a slug it does not know', () => {
    expect(catalogModelsFor('acme-custom')).toEqual([]);
    expect(catalogModelsFor('OpenAI')).toEqual([]);
  });

  it('cannot be changed by a caller', () => {
    const [model] = catalogModelsFor('openai');
    expect(() => model.capabilities.push(IMAGES)).toThrow();
    expect(() => (catalogModelsFor('openai') as unknown[]).pop()).toThrow();
    expect(() => Object.assign(model, { displayName: 'x' })).toThrow();
  });

  it('covers the models people ask for', () => {
    const ids = (slug: string) => catalogModelsFor(slug).map((model) => model.modelId);
    expect(ids('openai')).toEqual(
      expect.arrayContaining(['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o3', 'o4-mini', 'gpt-5', 'gpt-image-1', 'dall-e-3', 'whisper-1']),
    );
    expect(ids('anthropic')).toEqual(expect.arrayContaining(['claude-3-5-sonnet-20241022', 'claude-sonnet-4-5', 'claude-opus-4-1']));
    expect(ids('google')).toEqual(expect.arrayContaining(['gemini-2.5-pro', 'gemini-2.0-flash', 'gemini-1.5-flash']));
    expect(ids('deepseek')).toEqual(['deepseek-chat', 'deepseek-reasoner']);
  });
});

describe('findCatalogModel', () => {
  it('matches ignoring case, the Gemini prefix and a :tag', () => {
    expect(findCatalogModel('openai', 'GPT-4o')?.model.modelId).toBe('gpt-4o');
    expect(findCatalogModel('google', 'models/gemini-2.5-pro')?.model.modelId).toBe('gemini-2.5-pro');
    expect(findCatalogModel('ollama', 'llama3.2:latest')?.model.modelId).toBe('llama3.2');
    expect(findCatalogModel('together', 'meta-llama/llama-3.3-70b-instruct-turbo')?.model.modelId).toBe(
      'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    );
  });

  it('prefers the exact dated entry and falls back to the model a release belongs to', () => {
    expect(findCatalogModel('anthropic', 'claude-3-5-sonnet-20240620')).toMatchObject({
      model: { modelId: 'claude-3-5-sonnet-20240620' },
      releaseSuffix: '',
    });
    expect(findCatalogModel('openai', 'gpt-4o-2024-05-13')).toMatchObject({ model: { modelId: 'gpt-4o' }, releaseSuffix: '2024-05-13' });
    expect(findCatalogModel('google', 'gemini-2.5-flash-preview-05-20')).toMatchObject({
      model: { modelId: 'gemini-2.5-flash' },
      releaseSuffix: 'preview-05-20',
    });
  });

  it('looks only in the named provider', () => {
    expect(findCatalogModel('anthropic', 'gpt-4o')).toBeUndefined();
    expect(findCatalogModel(undefined, 'gpt-4o')).toBeUndefined();
    expect(findCatalogModel('acme-custom', 'gpt-4o')).toBeUndefined();
  });
});

describe('matchModelIdPattern', () => {
  it('recognises families on the part after the slash', () => {
    expect(matchModelIdPattern(undefined, 'openrouter-vendor/gpt-4o-mini:free')).toEqual([WRITING, REPLIES, AGENTS, TOOLS, VISION]);
    expect(matchModelIdPattern(undefined, 'black-forest-labs/FLUX.1-dev')).toEqual([IMAGES]);
    expect(matchModelIdPattern(undefined, 'foo-bar-7')).toBeUndefined();
  });

  it('applies provider-specific rows only to their provider', () => {
    expect(matchModelIdPattern('groq', 'groq/compound-beta')).toEqual([WRITING, REPLIES]);
    expect(matchModelIdPattern(undefined, 'groq/compound-beta')).toBeUndefined();
    expect(matchModelIdPattern('openai', 'groq/compound-beta')).toBeUndefined();
  });
});

describe('catalog and patterns together', () => {
  it('infer exactly the catalog tags for every catalog entry under its provider', () => {
    for (const model of allCatalogModels()) {
      expect([model.providerSlug, model.modelId, capabilitiesFor(model)]).toEqual([model.providerSlug, model.modelId, model.capabilities]);
    }
  });

  // Where a host or a release differs from its family, the catalog row is the only place that knows.
  const CATALOG_KNOWS_BETTER = new Set([
    'google gemma-3-27b-it',
    'mistral mistral-large-2512',
    'mistral mistral-medium-latest',
    'mistral mistral-medium-2508',
    'mistral mistral-medium-2505',
    'mistral mistral-small-latest',
    'mistral mistral-small-2506',
    'mistral mistral-small-2503',
    'groq groq/compound',
    'groq groq/compound-mini',
    'together mistralai/Mixtral-8x7B-Instruct-v0.1',
    'openrouter openrouter/auto',
    'ollama gemma3',
    'ollama mistral',
  ]);

  it('agree with each other everywhere else, so an unlisted release of a listed model is tagged alike', () => {
    const disagreeing = allCatalogModels()
      .filter((model) => capabilitiesFor({ modelId: model.modelId }).join() !== model.capabilities.join())
      .map((model) => `${model.providerSlug} ${model.modelId}`);
    expect(disagreeing.sort()).toEqual([...CATALOG_KNOWS_BETTER].sort());
  });
});
