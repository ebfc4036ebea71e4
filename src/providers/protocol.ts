import { registerEnumType } from 'type-graphql';

/** The wire protocol a provider speaks. OPENAI means OpenAI-compatible (xAI, DeepSeek, Mistral, Groq, Together, most custom). */
export enum Protocol {
  OPENAI = 'OPENAI',
  ANTHROPIC = 'ANTHROPIC',
  GOOGLE = 'GOOGLE',
  OPENROUTER = 'OPENROUTER',
  AZURE_OPENAI = 'AZURE_OPENAI',
  OLLAMA = 'OLLAMA',
}

registerEnumType(Protocol, { name: 'Protocol', description: 'The wire protocol a provider speaks; OPENAI means OpenAI-compatible.' });
