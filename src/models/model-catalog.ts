import type { Capability } from './capability';
import type { CatalogRow } from './catalog/catalog-row';
import { FIRST_PARTY_MODELS } from './catalog/first-party.models';
import { HOSTED_MODELS } from './catalog/hosted.models';
import { MODEL_ID_PATTERNS } from './catalog/model-id.patterns';
import { bareModelId, normalizeModelId, versionCandidates } from './model-id';

/** A well-known model of a built-in provider. */
export interface CatalogModel {
  providerSlug: string;
  modelId: string;
  displayName: string;
  capabilities: Capability[];
}

/** The built-in providers the catalog knows, by slug. */
export const BUILT_IN_PROVIDER_SLUGS: readonly string[] = Object.freeze([
  'openai',
  'anthropic',
  'google',
  'xai',
  'deepseek',
  'mistral',
  'openrouter',
  'groq',
  'together',
  'azure-openai',
  'ollama',
]);

const TABLES = { ...FIRST_PARTY_MODELS, ...HOSTED_MODELS };

/** Frozen, so a caller that edits what it was given cannot change the catalog for everyone else. */
const MODELS_BY_PROVIDER: ReadonlyMap<string, readonly CatalogModel[]> = new Map(
  Object.entries(TABLES).map(([providerSlug, rows]) => [
    providerSlug,
    Object.freeze(rows.map((row) => toCatalogModel(providerSlug, row))),
  ]),
);

/** Per provider, each model under its normalized id, for the case- and suffix-tolerant lookup. */
const INDEX: ReadonlyMap<string, ReadonlyMap<string, CatalogModel>> = new Map(
  [...MODELS_BY_PROVIDER].map(([providerSlug, models]) => [
    providerSlug,
    new Map(models.map((model) => [normalizeModelId(model.modelId), model])),
  ]),
);

const ALL_MODELS: readonly CatalogModel[] = Object.freeze([...MODELS_BY_PROVIDER.values()].flat());

/** The well-known models of a provider; empty for a slug the catalog does not know (custom providers). */
export function catalogModelsFor(providerSlug: string): readonly CatalogModel[] {
  return MODELS_BY_PROVIDER.get(providerSlug) ?? [];
}

export function allCatalogModels(): readonly CatalogModel[] {
  return ALL_MODELS;
}

/**
 * The provider's catalog entry for a listed id: exact (ignoring case and `:tag`) if there is one,
 * else the entry of the model it is a release of (`gpt-4o-2024-05-13` → `gpt-4o`), with the
 * release suffix that was dropped so a display name can keep it.
 */
export function findCatalogModel(
  providerSlug: string | undefined,
  modelId: string,
): { model: CatalogModel; releaseSuffix: string } | undefined {
  const index = providerSlug === undefined ? undefined : INDEX.get(providerSlug);
  if (!index) return undefined;
  for (const { id, removed } of versionCandidates(modelId)) {
    const model = index.get(id);
    if (model) return { model, releaseSuffix: removed };
  }
  return undefined;
}

/** The capabilities of the first id pattern that fits, or undefined when no family is recognised. */
export function matchModelIdPattern(providerSlug: string | undefined, modelId: string): readonly Capability[] | undefined {
  const bare = bareModelId(modelId);
  const row = MODEL_ID_PATTERNS.find(
    ([pattern, , providerSlugs]) =>
      (!providerSlugs || (providerSlug !== undefined && providerSlugs.includes(providerSlug))) && pattern.test(bare),
  );
  return row?.[1];
}

function toCatalogModel(providerSlug: string, [modelId, displayName, capabilities]: CatalogRow): CatalogModel {
  return Object.freeze({ providerSlug, modelId, displayName, capabilities: Object.freeze([...capabilities]) as Capability[] });
}
