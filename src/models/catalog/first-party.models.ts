import { IMAGE_GENERATION, MULTIMODAL, NONE, TEXT, TEXT_TOOLS, TEXT_VISION, type CatalogRow, type CatalogTable } from './catalog-row';

/*
 * Models served by the labs that make them. Ids are the provider's own, dated ids next to their
 * aliases because listings return both. Dated releases not listed here still resolve: the lookup
 * drops release suffixes and tries again, and the id patterns cover whole families.
 */

const openai: readonly CatalogRow[] = [
  ['gpt-5.2', 'GPT-5.2', MULTIMODAL],
  ['gpt-5.2-pro', 'GPT-5.2 pro', MULTIMODAL],
  // The ChatGPT snapshots are documented without function calling.
  ['gpt-5.2-chat-latest', 'GPT-5.2 Chat', TEXT_VISION],
  ['gpt-5.1', 'GPT-5.1', MULTIMODAL],
  ['gpt-5.1-chat-latest', 'GPT-5.1 Chat', TEXT_VISION],
  ['gpt-5.1-codex', 'GPT-5.1 Codex', MULTIMODAL],
  ['gpt-5.1-codex-mini', 'GPT-5.1 Codex mini', MULTIMODAL],
  ['gpt-5', 'GPT-5', MULTIMODAL],
  ['gpt-5-mini', 'GPT-5 mini', MULTIMODAL],
  ['gpt-5-nano', 'GPT-5 nano', MULTIMODAL],
  ['gpt-5-pro', 'GPT-5 pro', MULTIMODAL],
  ['gpt-5-codex', 'GPT-5 Codex', MULTIMODAL],
  ['gpt-5-chat-latest', 'GPT-5 Chat', TEXT_VISION],
  ['gpt-4.1', 'GPT-4.1', MULTIMODAL],
  ['gpt-4.1-mini', 'GPT-4.1 mini', MULTIMODAL],
  ['gpt-4.1-nano', 'GPT-4.1 nano', MULTIMODAL],
  ['gpt-4o', 'GPT-4o', MULTIMODAL],
  ['gpt-4o-2024-11-20', 'GPT-4o (2024-11-20)', MULTIMODAL],
  ['gpt-4o-2024-08-06', 'GPT-4o (2024-08-06)', MULTIMODAL],
  ['gpt-4o-mini', 'GPT-4o mini', MULTIMODAL],
  ['gpt-4o-mini-2024-07-18', 'GPT-4o mini (2024-07-18)', MULTIMODAL],
  ['chatgpt-4o-latest', 'ChatGPT-4o', TEXT_VISION],
  // Search models answer with web results and take no tools.
  ['gpt-4o-search-preview', 'GPT-4o Search', TEXT],
  ['gpt-4o-mini-search-preview', 'GPT-4o mini Search', TEXT],
  ['gpt-4-turbo', 'GPT-4 Turbo', MULTIMODAL],
  ['gpt-4', 'GPT-4', TEXT_TOOLS],
  ['gpt-3.5-turbo', 'GPT-3.5 Turbo', TEXT_TOOLS],
  ['gpt-3.5-turbo-instruct', 'GPT-3.5 Turbo Instruct', TEXT],
  ['o4-mini', 'o4-mini', MULTIMODAL],
  ['o3', 'o3', MULTIMODAL],
  ['o3-pro', 'o3-pro', MULTIMODAL],
  // o3-mini and o1-mini take no image input; o1-mini takes no tools either.
  ['o3-mini', 'o3-mini', TEXT_TOOLS],
  ['o1', 'o1', MULTIMODAL],
  ['o1-pro', 'o1-pro', MULTIMODAL],
  ['o1-mini', 'o1-mini', TEXT],
  ['o3-deep-research', 'o3 Deep Research', TEXT],
  ['o4-mini-deep-research', 'o4-mini Deep Research', TEXT],
  ['codex-mini-latest', 'Codex mini', MULTIMODAL],
  ['gpt-image-1', 'GPT Image 1', IMAGE_GENERATION],
  ['gpt-image-1-mini', 'GPT Image 1 mini', IMAGE_GENERATION],
  ['dall-e-3', 'DALL·E 3', IMAGE_GENERATION],
  ['dall-e-2', 'DALL·E 2', IMAGE_GENERATION],
  ['text-embedding-3-large', 'Text Embedding 3 Large', NONE],
  ['text-embedding-3-small', 'Text Embedding 3 Small', NONE],
  ['text-embedding-ada-002', 'Text Embedding Ada 002', NONE],
  ['omni-moderation-latest', 'Omni Moderation', NONE],
  ['text-moderation-latest', 'Text Moderation', NONE],
  ['whisper-1', 'Whisper', NONE],
  ['gpt-4o-transcribe', 'GPT-4o Transcribe', NONE],
  ['gpt-4o-mini-transcribe', 'GPT-4o mini Transcribe', NONE],
  ['tts-1', 'TTS 1', NONE],
  ['tts-1-hd', 'TTS 1 HD', NONE],
  ['gpt-4o-mini-tts', 'GPT-4o mini TTS', NONE],
  ['gpt-realtime', 'GPT Realtime', NONE],
  ['gpt-audio', 'GPT Audio', NONE],
  ['sora-2', 'Sora 2', NONE],
];

/** Azure lists the OpenAI base models a resource can deploy, under OpenAI's ids except GPT-3.5. */
const AZURE_OPENAI_IDS = new Set([
  'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5-chat-latest', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o',
  'gpt-4o-mini', 'gpt-4', 'o4-mini', 'o3', 'o3-mini', 'o1', 'gpt-image-1', 'dall-e-3', 'text-embedding-3-large',
  'text-embedding-3-small', 'text-embedding-ada-002', 'whisper-1', 'tts-1', 'tts-1-hd',
]);

const azureOpenai: readonly CatalogRow[] = [
  ...openai.filter(([modelId]) => AZURE_OPENAI_IDS.has(modelId)),
  ['gpt-35-turbo', 'GPT-3.5 Turbo', TEXT_TOOLS],
  ['whisper', 'Whisper', NONE],
];

// Every Claude from 3 on takes images and tools.
const anthropic: readonly CatalogRow[] = [
  ['claude-opus-4-5-20251101', 'Claude Opus 4.5', MULTIMODAL],
  ['claude-opus-4-5', 'Claude Opus 4.5', MULTIMODAL],
  ['claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', MULTIMODAL],
  ['claude-sonnet-4-5', 'Claude Sonnet 4.5', MULTIMODAL],
  ['claude-haiku-4-5-20251001', 'Claude Haiku 4.5', MULTIMODAL],
  ['claude-haiku-4-5', 'Claude Haiku 4.5', MULTIMODAL],
  ['claude-opus-4-1-20250805', 'Claude Opus 4.1', MULTIMODAL],
  ['claude-opus-4-1', 'Claude Opus 4.1', MULTIMODAL],
  ['claude-opus-4-20250514', 'Claude Opus 4', MULTIMODAL],
  ['claude-opus-4-0', 'Claude Opus 4', MULTIMODAL],
  ['claude-sonnet-4-20250514', 'Claude Sonnet 4', MULTIMODAL],
  ['claude-sonnet-4-0', 'Claude Sonnet 4', MULTIMODAL],
  ['claude-3-7-sonnet-20250219', 'Claude Sonnet 3.7', MULTIMODAL],
  ['claude-3-7-sonnet-latest', 'Claude Sonnet 3.7', MULTIMODAL],
  ['claude-3-5-sonnet-20241022', 'Claude Sonnet 3.5 (2024-10-22)', MULTIMODAL],
  ['claude-3-5-sonnet-20240620', 'Claude Sonnet 3.5 (2024-06-20)', MULTIMODAL],
  ['claude-3-5-sonnet-latest', 'Claude Sonnet 3.5', MULTIMODAL],
  ['claude-3-5-haiku-20241022', 'Claude Haiku 3.5', MULTIMODAL],
  ['claude-3-5-haiku-latest', 'Claude Haiku 3.5', MULTIMODAL],
  ['claude-3-opus-20240229', 'Claude Opus 3', MULTIMODAL],
  ['claude-3-opus-latest', 'Claude Opus 3', MULTIMODAL],
  ['claude-3-haiku-20240307', 'Claude Haiku 3', MULTIMODAL],
];

const google: readonly CatalogRow[] = [
  ['gemini-3-pro-preview', 'Gemini 3 Pro Preview', MULTIMODAL],
  ['gemini-3-flash-preview', 'Gemini 3 Flash Preview', MULTIMODAL],
  ['gemini-3-pro-image-preview', 'Gemini 3 Pro Image Preview', IMAGE_GENERATION],
  ['gemini-2.5-pro', 'Gemini 2.5 Pro', MULTIMODAL],
  ['gemini-2.5-flash', 'Gemini 2.5 Flash', MULTIMODAL],
  ['gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', MULTIMODAL],
  ['gemini-2.5-flash-image', 'Gemini 2.5 Flash Image', IMAGE_GENERATION],
  ['gemini-flash-latest', 'Gemini Flash (latest)', MULTIMODAL],
  ['gemini-flash-lite-latest', 'Gemini Flash-Lite (latest)', MULTIMODAL],
  ['gemini-2.0-flash', 'Gemini 2.0 Flash', MULTIMODAL],
  ['gemini-2.0-flash-001', 'Gemini 2.0 Flash 001', MULTIMODAL],
  ['gemini-2.0-flash-lite', 'Gemini 2.0 Flash-Lite', MULTIMODAL],
  ['gemini-2.0-flash-preview-image-generation', 'Gemini 2.0 Flash Image Generation', IMAGE_GENERATION],
  ['gemini-1.5-pro', 'Gemini 1.5 Pro', MULTIMODAL],
  ['gemini-1.5-flash', 'Gemini 1.5 Flash', MULTIMODAL],
  ['gemini-1.5-flash-8b', 'Gemini 1.5 Flash-8B', MULTIMODAL],
  // Gemma through the Gemini API takes no tools.
  ['gemma-3-27b-it', 'Gemma 3 27B', TEXT_VISION],
  ['gemma-3n-e4b-it', 'Gemma 3n E4B', TEXT],
  ['imagen-4.0-generate-001', 'Imagen 4', IMAGE_GENERATION],
  ['imagen-4.0-ultra-generate-001', 'Imagen 4 Ultra', IMAGE_GENERATION],
  ['imagen-4.0-fast-generate-001', 'Imagen 4 Fast', IMAGE_GENERATION],
  ['imagen-3.0-generate-002', 'Imagen 3', IMAGE_GENERATION],
  ['gemini-embedding-001', 'Gemini Embedding', NONE],
  ['text-embedding-004', 'Text Embedding 004', NONE],
  ['embedding-001', 'Embedding 001', NONE],
  ['gemini-2.5-flash-preview-tts', 'Gemini 2.5 Flash TTS', NONE],
  ['gemini-2.5-pro-preview-tts', 'Gemini 2.5 Pro TTS', NONE],
  ['veo-3.0-generate-001', 'Veo 3', NONE],
];

const xai: readonly CatalogRow[] = [
  ['grok-4', 'Grok 4', MULTIMODAL],
  ['grok-4-0709', 'Grok 4 (0709)', MULTIMODAL],
  ['grok-4-1-fast-reasoning', 'Grok 4.1 Fast Reasoning', MULTIMODAL],
  ['grok-4-1-fast-non-reasoning', 'Grok 4.1 Fast Non-Reasoning', MULTIMODAL],
  ['grok-4-fast-reasoning', 'Grok 4 Fast Reasoning', MULTIMODAL],
  ['grok-4-fast-non-reasoning', 'Grok 4 Fast Non-Reasoning', MULTIMODAL],
  ['grok-code-fast-1', 'Grok Code Fast 1', TEXT_TOOLS],
  ['grok-3', 'Grok 3', TEXT_TOOLS],
  ['grok-3-mini', 'Grok 3 mini', TEXT_TOOLS],
  ['grok-2-vision-1212', 'Grok 2 Vision', MULTIMODAL],
  ['grok-2-1212', 'Grok 2', TEXT_TOOLS],
  ['grok-2-image-1212', 'Grok 2 Image', IMAGE_GENERATION],
];

const deepseek: readonly CatalogRow[] = [
  ['deepseek-chat', 'DeepSeek Chat', TEXT_TOOLS],
  // Tool calls in thinking mode arrived with V3.2, which this alias serves.
  ['deepseek-reasoner', 'DeepSeek Reasoner', TEXT_TOOLS],
];

// Mistral's listing reports vision and function calling per model; these are the floor.
const mistral: readonly CatalogRow[] = [
  ['mistral-large-latest', 'Mistral Large', TEXT_TOOLS],
  ['mistral-large-2512', 'Mistral Large 3', MULTIMODAL],
  ['mistral-large-2411', 'Mistral Large 2.1', TEXT_TOOLS],
  ['mistral-medium-latest', 'Mistral Medium', MULTIMODAL],
  ['mistral-medium-2508', 'Mistral Medium 3.1', MULTIMODAL],
  ['mistral-medium-2505', 'Mistral Medium 3', MULTIMODAL],
  ['mistral-small-latest', 'Mistral Small', MULTIMODAL],
  ['mistral-small-2506', 'Mistral Small 3.2', MULTIMODAL],
  ['mistral-small-2503', 'Mistral Small 3.1', MULTIMODAL],
  ['mistral-small-2501', 'Mistral Small 3', TEXT_TOOLS],
  ['magistral-medium-latest', 'Magistral Medium', TEXT_TOOLS],
  ['magistral-small-latest', 'Magistral Small', TEXT_TOOLS],
  ['codestral-latest', 'Codestral', TEXT_TOOLS],
  ['devstral-medium-latest', 'Devstral Medium', TEXT_TOOLS],
  ['devstral-small-latest', 'Devstral Small', TEXT_TOOLS],
  ['pixtral-large-latest', 'Pixtral Large', MULTIMODAL],
  ['pixtral-12b-2409', 'Pixtral 12B', MULTIMODAL],
  ['ministral-8b-latest', 'Ministral 8B', TEXT_TOOLS],
  ['ministral-3b-latest', 'Ministral 3B', TEXT_TOOLS],
  ['open-mistral-nemo', 'Mistral Nemo', TEXT_TOOLS],
  ['mistral-saba-latest', 'Mistral Saba', TEXT_TOOLS],
  ['mistral-embed', 'Mistral Embed', NONE],
  ['codestral-embed', 'Codestral Embed', NONE],
  ['mistral-moderation-latest', 'Mistral Moderation', NONE],
  ['mistral-ocr-latest', 'Mistral OCR', NONE],
];

export const FIRST_PARTY_MODELS: CatalogTable = {
  openai,
  'azure-openai': azureOpenai,
  anthropic,
  google,
  xai,
  deepseek,
  mistral,
};
