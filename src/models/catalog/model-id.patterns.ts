import type { Capability } from '../capability';
import { IMAGE_GENERATION, MULTIMODAL, NONE, TEXT, TEXT_TOOLS, TEXT_VISION } from './catalog-row';

/**
 * A family of model ids. The pattern is tested against the bare id: lower case, the part after the
 * last slash, without a `:tag` — so `openai/gpt-4o-mini:free` is tested as `gpt-4o-mini`, which
 * lets one row serve the maker, OpenRouter, Together, Groq and any OpenAI-compatible host.
 */
export type ModelIdPatternRow = readonly [
  pattern: RegExp,
  capabilities: readonly Capability[],
  /** Only for these providers; absent means every provider, custom ones included. */
  providerSlugs?: readonly string[],
];

/*
 * The first matching row wins, so exceptions come before their family: `o1-mini` before `o\d`,
 * `claude-2` before `claude-`. Embeddings, moderation, speech and the like never get here: they
 * are recognised as non-generative before any table is consulted.
 */
export const MODEL_ID_PATTERNS: readonly ModelIdPatternRow[] = [
  // Provider-specific: the same family behaves differently on this host.
  [/^gemma-3-(4|12|27)b/, TEXT_VISION, ['google']],
  [/^compound/, TEXT, ['groq']],

  // Image and video generation. Brand names first, since they also appear inside chat families.
  [/dall-e|gpt-image|imagen|flux|stable-diffusion|sdxl|ideogram|recraft/, IMAGE_GENERATION],
  [/^(grok|gemini)-.*image/, IMAGE_GENERATION],
  [/^(sora|veo)-|video/, NONE],

  // OpenAI. ChatGPT snapshots take no tools; search and deep-research models take none either.
  [/^chatgpt-|^gpt-5(\.\d+)?-chat/, TEXT_VISION],
  [/^gpt-.*search|deep-research/, TEXT],
  [/^gpt-(4o|4\.\d|5)|^codex-/, MULTIMODAL],
  [/^gpt-4-turbo/, MULTIMODAL],
  [/^gpt-4-(\d{4}-)?vision/, TEXT_VISION],
  [/^gpt-(3\.5|35)-turbo-instruct/, TEXT],
  [/^gpt-(4|3\.5|35)|^gpt-oss/, TEXT_TOOLS],
  [/^o1-(mini|preview)/, TEXT],
  [/^o3-mini/, TEXT_TOOLS],
  [/^o\d/, MULTIMODAL],

  // Anthropic: Claude 3 and later take images and tools.
  [/^claude-(instant|[12](\.|-|$))/, TEXT],
  [/^claude-/, MULTIMODAL],

  // Google.
  [/^gemini-(1\.0-)?pro-vision/, TEXT_VISION],
  [/^gemini-(1\.0-pro|pro$)/, TEXT_TOOLS],
  [/^gemini-/, MULTIMODAL],

  // xAI: image input arrived with the vision models and Grok 4.
  [/^grok-(\d[\w.]*-)?vision|^grok-4/, MULTIMODAL],
  [/^grok-/, TEXT_TOOLS],

  // DeepSeek: R1 releases take no tools.
  [/^deepseek-r1/, TEXT],
  [/^deepseek-/, TEXT_TOOLS],

  // Mistral. Vision varies by release, and Mistral's listing reports it, so the family claims none.
  [/^pixtral/, MULTIMODAL],
  [/^(open-)?(mistral-(large|medium|small|nemo|saba|tiny)|ministral|magistral|codestral|devstral|mixtral)/, TEXT_TOOLS],

  // Open-weight families as hosts serve them.
  [/^(meta-)?llama-?3\.2.*vision/, TEXT_VISION],
  [/^(meta-)?llama-?4/, MULTIMODAL],
  [/^(meta-)?llama-?3/, TEXT_TOOLS],
  [/vision|llava|moondream|minicpm-v|qwen[\d.]*-?vl/, TEXT_VISION],
  [/^(qwen|qwq)/, TEXT_TOOLS],
  [/^(kimi-k2|glm-4|command-(r|a))/, TEXT_TOOLS],
];
