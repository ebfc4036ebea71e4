import { IMAGE_GENERATION, MULTIMODAL, NONE, TEXT, TEXT_TOOLS, TEXT_VISION, type CatalogRow, type CatalogTable } from './catalog-row';

/*
 * Models served by hosts and routers. Their ids are the host's (often `vendor/model`, mixed case
 * on Together); tool calling is what the host supports for that model, which can differ from the
 * model's maker. Anything not here falls to the id patterns, which match the part after the slash.
 */

const groq: readonly CatalogRow[] = [
  ['llama-3.3-70b-versatile', 'Llama 3.3 70B Versatile', TEXT_TOOLS],
  ['llama-3.1-8b-instant', 'Llama 3.1 8B Instant', TEXT_TOOLS],
  ['meta-llama/llama-4-maverick-17b-128e-instruct', 'Llama 4 Maverick 17B', MULTIMODAL],
  ['meta-llama/llama-4-scout-17b-16e-instruct', 'Llama 4 Scout 17B', MULTIMODAL],
  ['openai/gpt-oss-120b', 'GPT-OSS 120B', TEXT_TOOLS],
  ['openai/gpt-oss-20b', 'GPT-OSS 20B', TEXT_TOOLS],
  ['qwen/qwen3-32b', 'Qwen3 32B', TEXT_TOOLS],
  ['moonshotai/kimi-k2-instruct-0905', 'Kimi K2 Instruct', TEXT_TOOLS],
  ['gemma2-9b-it', 'Gemma 2 9B', TEXT],
  ['deepseek-r1-distill-llama-70b', 'DeepSeek R1 Distill Llama 70B', TEXT],
  // Compound systems run their own built-in tools and take none from the caller.
  ['groq/compound', 'Compound', TEXT],
  ['groq/compound-mini', 'Compound mini', TEXT],
  ['whisper-large-v3', 'Whisper Large v3', NONE],
  ['whisper-large-v3-turbo', 'Whisper Large v3 Turbo', NONE],
  ['playai-tts', 'PlayAI TTS', NONE],
  ['meta-llama/llama-guard-4-12b', 'Llama Guard 4 12B', NONE],
  ['meta-llama/llama-prompt-guard-2-86m', 'Llama Prompt Guard 2 86M', NONE],
];

const together: readonly CatalogRow[] = [
  ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'Llama 3.3 70B Instruct Turbo', TEXT_TOOLS],
  ['meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', 'Llama 3.1 8B Instruct Turbo', TEXT_TOOLS],
  ['meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8', 'Llama 4 Maverick', MULTIMODAL],
  ['meta-llama/Llama-4-Scout-17B-16E-Instruct', 'Llama 4 Scout', MULTIMODAL],
  ['deepseek-ai/DeepSeek-V3', 'DeepSeek V3', TEXT_TOOLS],
  ['deepseek-ai/DeepSeek-R1', 'DeepSeek R1', TEXT],
  ['Qwen/Qwen2.5-72B-Instruct-Turbo', 'Qwen 2.5 72B Instruct Turbo', TEXT_TOOLS],
  ['Qwen/Qwen2.5-VL-72B-Instruct', 'Qwen 2.5 VL 72B', TEXT_VISION],
  ['moonshotai/Kimi-K2-Instruct', 'Kimi K2 Instruct', TEXT_TOOLS],
  ['openai/gpt-oss-120b', 'GPT-OSS 120B', TEXT_TOOLS],
  ['mistralai/Mixtral-8x7B-Instruct-v0.1', 'Mixtral 8x7B Instruct', TEXT],
  ['black-forest-labs/FLUX.1-schnell', 'FLUX.1 [schnell]', IMAGE_GENERATION],
  ['black-forest-labs/FLUX.1.1-pro', 'FLUX1.1 [pro]', IMAGE_GENERATION],
  ['BAAI/bge-large-en-v1.5', 'BGE Large EN v1.5', NONE],
  ['togethercomputer/m2-bert-80M-8k-retrieval', 'M2-BERT 80M 8K Retrieval', NONE],
  ['Salesforce/Llama-Rank-V1', 'LlamaRank', NONE],
  ['meta-llama/Llama-Guard-4-12B', 'Llama Guard 4 12B', NONE],
];

const openrouter: readonly CatalogRow[] = [
  // The auto router picks a model per request, so only text generation is certain.
  ['openrouter/auto', 'Auto Router', TEXT],
  ['openai/gpt-5', 'OpenAI: GPT-5', MULTIMODAL],
  ['openai/gpt-4.1', 'OpenAI: GPT-4.1', MULTIMODAL],
  ['openai/gpt-4o', 'OpenAI: GPT-4o', MULTIMODAL],
  ['openai/gpt-4o-mini', 'OpenAI: GPT-4o mini', MULTIMODAL],
  ['anthropic/claude-sonnet-4.5', 'Anthropic: Claude Sonnet 4.5', MULTIMODAL],
  ['anthropic/claude-opus-4.1', 'Anthropic: Claude Opus 4.1', MULTIMODAL],
  ['anthropic/claude-3.7-sonnet', 'Anthropic: Claude 3.7 Sonnet', MULTIMODAL],
  ['google/gemini-2.5-pro', 'Google: Gemini 2.5 Pro', MULTIMODAL],
  ['google/gemini-2.5-flash', 'Google: Gemini 2.5 Flash', MULTIMODAL],
  ['x-ai/grok-4', 'xAI: Grok 4', MULTIMODAL],
  ['deepseek/deepseek-chat', 'DeepSeek: DeepSeek V3', TEXT_TOOLS],
  ['deepseek/deepseek-r1', 'DeepSeek: R1', TEXT],
  ['meta-llama/llama-3.3-70b-instruct', 'Meta: Llama 3.3 70B Instruct', TEXT_TOOLS],
  ['mistralai/mistral-large', 'Mistral Large', TEXT_TOOLS],
  ['qwen/qwen-2.5-72b-instruct', 'Qwen2.5 72B Instruct', TEXT_TOOLS],
];

// Ollama library names; a pulled model is listed as `name:tag` (`llama3.2:latest`, `qwen2.5:7b`).
const ollama: readonly CatalogRow[] = [
  ['llama3.3', 'Llama 3.3', TEXT_TOOLS],
  ['llama3.2', 'Llama 3.2', TEXT_TOOLS],
  ['llama3.1', 'Llama 3.1', TEXT_TOOLS],
  ['llama3.2-vision', 'Llama 3.2 Vision', TEXT_VISION],
  ['llama4', 'Llama 4', MULTIMODAL],
  ['qwen3', 'Qwen3', TEXT_TOOLS],
  ['qwen2.5', 'Qwen 2.5', TEXT_TOOLS],
  ['qwen2.5-coder', 'Qwen 2.5 Coder', TEXT_TOOLS],
  ['qwen2.5vl', 'Qwen 2.5 VL', TEXT_VISION],
  ['gemma3', 'Gemma 3', TEXT_VISION],
  ['mistral', 'Mistral 7B', TEXT_TOOLS],
  ['mixtral', 'Mixtral', TEXT_TOOLS],
  ['phi4', 'Phi-4', TEXT],
  ['deepseek-r1', 'DeepSeek R1', TEXT],
  ['gpt-oss', 'GPT-OSS', TEXT_TOOLS],
  ['llava', 'LLaVA', TEXT_VISION],
  ['nomic-embed-text', 'Nomic Embed Text', NONE],
  ['mxbai-embed-large', 'mxbai Embed Large', NONE],
  ['all-minilm', 'all-MiniLM', NONE],
];

export const HOSTED_MODELS: CatalogTable = { groq, together, openrouter, ollama };
