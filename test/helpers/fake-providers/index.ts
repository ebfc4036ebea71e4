export { FakeProvider, SCENARIOS, startFakeProvider, type Answer, type FakeProviderOptions, type LoggedRequest, type ProviderBehaviour, type Scenario } from './fake-provider';
export { useFake, withFake } from './fake-lifecycle';
export { anthropicBehaviour, startAnthropicFake, DEFAULT_ANTHROPIC_MODELS, type AnthropicFakeOptions } from './anthropic.fake';
export { startAzureOpenAiFake, DEFAULT_AZURE_MODELS, type AzureOpenAiFakeOptions } from './azure-openai.fake';
export { startGoogleFake, DEFAULT_GOOGLE_MODELS, type GoogleFakeOptions } from './google.fake';
export { startOllamaFake, DEFAULT_OLLAMA_MODELS, type OllamaFakeOptions } from './ollama.fake';
export { startOpenAiFake, DEFAULT_OPENAI_MODELS, type OpenAiFakeOptions, type OpenAiFlavor } from './openai.fake';
export { startOpenRouterFake, DEFAULT_OPENROUTER_MODELS, type OpenRouterFakeOptions } from './openrouter.fake';
