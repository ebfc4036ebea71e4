import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The built-in providers every workspace sees, with fixed ids so clients may rely on them.
 * Facts from shared/PROVIDERS.md. Azure OpenAI has no default: each resource has its own host.
 */
const BUILT_IN = [
  ['00000000-0000-4000-a000-000000000001', 'openai', 'OpenAI', 'OPENAI', 'https://api.openai.com/v1'],
  ['00000000-0000-4000-a000-000000000002', 'anthropic', 'Anthropic', 'ANTHROPIC', 'https://api.anthropic.com'],
  ['00000000-0000-4000-a000-000000000003', 'google', 'Google Gemini', 'GOOGLE', 'https://generativelanguage.googleapis.com/v1beta'],
  ['00000000-0000-4000-a000-000000000004', 'xai', 'xAI', 'OPENAI', 'https://api.x.ai/v1'],
  ['00000000-0000-4000-a000-000000000005', 'deepseek', 'DeepSeek', 'OPENAI', 'https://api.deepseek.com'],
  ['00000000-0000-4000-a000-000000000006', 'mistral', 'Mistral', 'OPENAI', 'https://api.mistral.ai/v1'],
  ['00000000-0000-4000-a000-000000000007', 'openrouter', 'OpenRouter', 'OPENROUTER', 'https://openrouter.ai/api/v1'],
  ['00000000-0000-4000-a000-000000000008', 'groq', 'Groq', 'OPENAI', 'https://api.groq.com/openai/v1'],
  ['00000000-0000-4000-a000-000000000009', 'together', 'Together AI', 'OPENAI', 'https://api.together.xyz/v1'],
  ['00000000-0000-4000-a000-00000000000a', 'azure-openai', 'Azure OpenAI', 'AZURE_OPENAI', null],
  ['00000000-0000-4000-a000-00000000000b', 'ollama', 'Ollama', 'OLLAMA', 'http://localhost:11434'],
] as const;

export class SeedBuiltInProviders1796415048144 implements MigrationInterface {
  name = 'SeedBuiltInProviders1796415048144';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [id, slug, name, protocol, endpoint] of BUILT_IN) {
      await queryRunner.query(
        'INSERT INTO providers (id, workspace_id, slug, name, protocol, default_endpoint) VALUES ($1, NULL, $2, $3, $4, $5)',
        [id, slug, name, protocol, endpoint],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM providers WHERE id = ANY($1::uuid[])', [BUILT_IN.map(([id]) => id)]);
  }
}
