import { Capability } from '../capability';

const { WRITING, REPLIES, AGENTS, TOOLS, VISION, IMAGES } = Capability;

/*
 * Named tag sets keep the tables below readable and make a wrong tag easy to spot in review.
 * Where a family is mixed, the tables claim the smaller set: a provider that reports more
 * (Mistral, Anthropic, Gemini, OpenRouter listings) adds to it, nothing takes away from it.
 */
/** Not chosen for any purpose: embeddings, moderation, speech, video. */
export const NONE: readonly Capability[] = [];
/** Text generation without tool calling. */
export const TEXT: readonly Capability[] = [WRITING, REPLIES];
/** Text generation with image input but without tool calling. */
export const TEXT_VISION: readonly Capability[] = [WRITING, REPLIES, VISION];
/** Text generation with tool calling. */
export const TEXT_TOOLS: readonly Capability[] = [WRITING, REPLIES, AGENTS, TOOLS];
/** Text generation with tool calling and image input. */
export const MULTIMODAL: readonly Capability[] = [WRITING, REPLIES, AGENTS, TOOLS, VISION];
/** Image generation only. */
export const IMAGE_GENERATION: readonly Capability[] = [IMAGES];

/** One well-known model as the tables spell it: the id exactly as the provider lists it. */
export type CatalogRow = readonly [modelId: string, displayName: string, capabilities: readonly Capability[]];

/** The well-known models of one provider, keyed by its built-in slug. */
export type CatalogTable = Readonly<Record<string, readonly CatalogRow[]>>;
