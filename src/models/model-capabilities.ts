import { Capability } from './capability';
import { TEXT } from './catalog/catalog-row';
import { findCatalogModel, matchModelIdPattern } from './model-catalog';
import { bareModelId, modelIdTag, normalizeModelId } from './model-id';

/*
 * Models that produce no text or images a picker could choose for any purpose. They are excluded
 * first because their ids often carry a chat family's name (`mistral-embed`, `gpt-4o-transcribe`,
 * `llama-guard-4`) and a provider may report generation methods for them.
 */
const NON_GENERATIVE: readonly RegExp[] = [
  /embed|retrieval|minilm|(^|[-_])(bge|gte|e5)-/, // embeddings
  /moderation|guard|classif/, // moderation and safety classifiers
  /whisper|transcri|(^|[^a-z])tts([^a-z]|$)|speech|audio|orpheus/, // speech in or out
  /realtime|(^|[-_.])live([-_.]|$)/, // voice sessions, not request/response generation
  /rerank|(^|[-_])rank([-_]|$)/, // rerankers
  /(^|[-_])ocr([-_]|$)/, // document OCR
];

/** Words that mark a text generation model when no table recognises the id. Short names need a word boundary. */
const CHAT_HINT =
  /chat|instruct|turbo|reason|coder|llama|qwen|qwq|mixtral|mistral|gemma|command|deepseek|grok|gpt|claude|gemini|glm|kimi|hermes|nemotron|granite|olmo|falcon|jamba|sonar|internlm|baichuan|minimax|ernie|dbrx|starcoder|vicuna|wizardlm|openchat|zephyr|solar|llava|(^|[^a-z])(yi|phi)|(^|[-_])it([-_.]|$)|^o\d+(-|$)/;

/** Capabilities in the enum's declared order, so equal sets always compare and render the same. */
const CAPABILITY_ORDER = Object.values(Capability);

/** Embeddings, moderation, speech-to-text, text-to-speech, rerankers, guard models and classifiers. */
export function isNonGenerativeModelId(modelId: string): boolean {
  const bare = bareModelId(modelId);
  return NON_GENERATIVE.some((pattern) => pattern.test(bare));
}

/**
 * Whether an id plausibly names a text generation model. A recognised family decides (`o3` yes,
 * `dall-e-3` no); otherwise the id (vendor included: `meta-llama/…`) must carry a chat word or family name.
 */
export function isChatLikeModelId(modelId: string): boolean {
  if (isNonGenerativeModelId(modelId)) return false;
  const family = matchModelIdPattern(undefined, modelId);
  return family ? family.includes(Capability.WRITING) : CHAT_HINT.test(normalizeModelId(modelId));
}

/**
 * What a listed model can be chosen for. A non-generative id gets nothing. Otherwise: the provider's
 * catalog entry (else the first id pattern that fits) united with what the provider reported; and
 * only when neither recognised the model nor reported anything, text generation for chat-like ids.
 * A catalog entry or pattern that recognises the model and grants nothing (video models) is an
 * answer, not a gap, so it does not fall through to the chat-like guess.
 */
export function capabilitiesFor(input: {
  providerSlug?: string;
  modelId: string;
  reportedCapabilities?: readonly Capability[];
}): Capability[] {
  const { providerSlug, modelId, reportedCapabilities = [] } = input;
  if (isNonGenerativeModelId(modelId)) return [];
  const known = findCatalogModel(providerSlug, modelId)?.model.capabilities ?? matchModelIdPattern(providerSlug, modelId);
  const found = new Set<Capability>([...(known ?? []), ...reportedCapabilities]);
  if (known === undefined && found.size === 0 && isChatLikeModelId(modelId)) TEXT.forEach((capability) => found.add(capability));
  return CAPABILITY_ORDER.filter((capability) => found.has(capability));
}

/**
 * The name shown for a listed model: the catalog's (keeping the release and `:tag` that set this
 * id apart: `GPT-4o (2024-05-13)`, `… (free)`), else the provider's own, else a tidied id.
 */
export function displayNameFor(input: { providerSlug?: string; modelId: string; reportedDisplayName?: string }): string {
  const { providerSlug, modelId } = input;
  const found = findCatalogModel(providerSlug, modelId);
  if (found) return withQualifiers(found.model.displayName, [found.releaseSuffix, modelIdTag(modelId)]);
  const reported = input.reportedDisplayName?.trim();
  if (reported) return reported;
  return tidyModelId(modelId) || modelId.trim() || modelId;
}

/** `gpt-4o-mini` → `GPT-4o mini`, `claude-3-5-haiku` → `Claude 3.5 haiku`, `llama-3.3-70b` → `Llama 3.3 70B`. */
function tidyModelId(modelId: string): string {
  const trimmed = modelId.trim().replace(/^ft:/i, '').replace(/^models\//i, '');
  const base = trimmed.split(':')[0];
  const bare = base.slice(base.lastIndexOf('/') + 1);
  // A trailing date reads better whole and apart: `o3-mini-2025-01-31` → `o3 mini (2025-01-31)`.
  const date = /[-_](\d{4}-\d{2}-\d{2}|\d{8})$/.exec(bare);
  const words = (date ? bare.slice(0, date.index) : bare).split(/[-_\s]+/).filter(Boolean).map(tidyWord);
  const name = words.reduce((joined, word, index) => {
    if (index === 0) return /^[a-z]{2}/.test(word) ? word[0].toUpperCase() + word.slice(1) : word;
    const previous = words[index - 1];
    if (previous === 'GPT' && /^\d/.test(word)) return `${joined}-${word}`;
    if (/^\d$/.test(word) && /\d$/.test(previous)) return `${joined}.${word}`;
    return `${joined} ${word}`;
  }, '');
  return withQualifiers(name, [date?.[1], modelIdTag(modelId)]);
}

const UPPER_CASE_WORDS = new Set(['gpt', 'oss', 'tts', 'hd', 'vl', 'ocr', 'ai', 'llm']);

function tidyWord(word: string): string {
  if (UPPER_CASE_WORDS.has(word.toLowerCase())) return word.toUpperCase();
  // Parameter counts and context sizes: 70b → 70B, 8x7b → 8x7B, 128k → 128K.
  if (/^\d+(\.\d+)?(x\d+)?[bkm]$/i.test(word)) return word.toUpperCase().replace('X', 'x');
  return word;
}

function withQualifiers(name: string, qualifiers: readonly (string | undefined)[]): string {
  const shown = qualifiers.filter((qualifier): qualifier is string => !!qualifier && qualifier !== 'latest');
  return shown.reduce((named, qualifier) => `${named} (${qualifier})`, name);
}
