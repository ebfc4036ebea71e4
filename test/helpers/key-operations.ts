import { randomBytes } from 'node:crypto';
import type { TestApi } from './test-api';

/** GraphQL documents the key-table tests share, written as a client would. */
export const KEY_FIELDS = `id label endpoint maskedKey secretVersion testStatus health createdAt rotatedAt lastTestedAt
  lastError { code message httpStatus at } provider { id slug name protocol builtIn }`;

export const ADD_KEY = `mutation($input: AddProviderKeyInput!) { addProviderKey(input: $input) { ${KEY_FIELDS} } }`;
export const ROTATE_KEY = `mutation($id: ID!, $apiKey: String!) { rotateProviderKey(id: $id, apiKey: $apiKey) { ${KEY_FIELDS} } }`;
export const UPDATE_KEY = `mutation($id: ID!, $label: String, $endpoint: String, $apiKey: String) {
  updateProviderKey(id: $id, label: $label, endpoint: $endpoint, apiKey: $apiKey) { ${KEY_FIELDS} } }`;
export const DELETE_KEY = 'mutation($id: ID!) { deleteProviderKey(id: $id) }';
export const KEYS = `{ providerKeys { ${KEY_FIELDS} } }`;
export const KEY = `query($id: ID!) { providerKey(id: $id) { ${KEY_FIELDS} } }`;

/** Provider ids by slug, as the `providers` query shows them to this token. */
export async function providerIds(api: TestApi, token: string): Promise<Record<string, string>> {
  const response = await api.gql<{ providers: { id: string; slug: string }[] }>('{ providers { id slug } }', undefined, token);
  return Object.fromEntries(response.data!.providers.map((p) => [p.slug, p.id]));
}

/** A unique, realistic-looking key for a provider slug: a known prefix and 40 random characters. */
export function fakeSecret(slug = 'openai'): string {
  const body = randomBytes(40).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(40, '7').slice(0, 40);
  const prefix: Record<string, string> = { openai: 'sk-proj-', anthropic: 'sk-ant-api03-', google: 'AIza', xai: 'xai-', openrouter: 'sk-or-v1-', groq: 'gsk_' };
  return `${prefix[slug] ?? 'sk-'}${body}`;
}
