import { Role } from '../../src/auth/role';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf } from '../helpers/graphql-client';
import { ADD_KEY, DELETE_KEY, fakeSecret } from '../helpers/key-operations';
import { startTestApi, type TestApi } from '../helpers/test-api';

const CREATE = `mutation($input: CreateCustomProviderInput!) {
  createCustomProvider(input: $input) { id slug name protocol defaultEndpoint builtIn } }`;
const DELETE = 'mutation($id: ID!) { deleteCustomProvider(id: $id) }';
const PROVIDERS = '{ providers { id slug name builtIn } }';

const llama = {
  name: 'Acme LLM',
  endpoint: 'https://llm.acme.internal/v1/',
  protocol: 'OPENAI',
  models: [
    { modelId: 'llama-3.1-70b-instruct', displayName: 'Llama 3.1 70B', capabilities: ['WRITING', 'REPLIES', 'TOOLS'] },
    { modelId: 'bge-large', capabilities: [] },
  ],
};

describe('custom providers', () => {
  let api: TestApi;
  let acme: TestWorkspace;
  let globex: TestWorkspace;

  beforeAll(async () => {
    api = await startTestApi();
    acme = await createWorkspace(api.app.core, 'Acme');
    globex = await createWorkspace(api.app.core, 'Globex');
  });
  afterAll(() => api.stop());

  it('creates a provider with declared models, visible to its workspace only', async () => {
    const created = await api.gql(CREATE, { input: llama }, acme.adminToken);
    expect(created.errors).toBeUndefined();
    const provider = created.data!.createCustomProvider;
    expect(provider).toMatchObject({ slug: 'acme-llm', name: 'Acme LLM', protocol: 'OPENAI', defaultEndpoint: 'https://llm.acme.internal/v1', builtIn: false });
    const models = (await api.app.core.db.query('SELECT model_id, display_name, capabilities, source, workspace_id FROM models WHERE provider_id = $1 ORDER BY model_id', [
      provider.id,
    ])) as Record<string, unknown>[];
    expect(models).toEqual([
      { model_id: 'bge-large', display_name: 'bge-large', capabilities: '{}', source: 'DECLARED', workspace_id: acme.workspace.id },
      { model_id: 'llama-3.1-70b-instruct', display_name: 'Llama 3.1 70B', capabilities: '{WRITING,REPLIES,TOOLS}', source: 'DECLARED', workspace_id: acme.workspace.id },
    ]);

    const mine = (await api.gql(PROVIDERS, undefined, acme.adminToken)).data!.providers;
    const theirs = (await api.gql(PROVIDERS, undefined, globex.adminToken)).data!.providers;
    expect(mine.map((p: { id: string }) => p.id)).toContain(provider.id);
    expect(theirs.map((p: { id: string }) => p.id)).not.toContain(provider.id);
    expect(theirs.filter((p: { builtIn: boolean }) => p.builtIn)).toHaveLength(11);

    // Keys use its endpoint by default; another workspace cannot attach keys to it.
    const key = await api.gql(ADD_KEY, { input: { providerId: provider.id, apiKey: fakeSecret() } }, acme.adminToken);
    expect(key.data!.addProviderKey.endpoint).toBe('https://llm.acme.internal/v1');
    const foreign = await api.gql(ADD_KEY, { input: { providerId: provider.id, apiKey: fakeSecret() } }, globex.adminToken);
    expect(codeOf(foreign)).toBe('BAD_USER_INPUT');
    expect(foreign.errors![0].message).toMatch(/not found/);
  });

  it('refuses to delete a provider while a key uses it, then deletes it with its models', async () => {
    const provider = (await api.gql(CREATE, { input: { ...llama, name: 'Busy' } }, acme.adminToken)).data!.createCustomProvider;
    const key = (await api.gql(ADD_KEY, { input: { providerId: provider.id, apiKey: fakeSecret() } }, acme.adminToken)).data!.addProviderKey;
    const refused = await api.gql(DELETE, { id: provider.id }, acme.adminToken);
    expect(codeOf(refused)).toBe('KEY_IN_USE');
    expect(refused.errors![0].message).toMatch(/still has 1 key/);
    await api.gql(DELETE_KEY, { id: key.id }, acme.adminToken);
    expect((await api.gql(DELETE, { id: provider.id }, acme.adminToken)).data).toEqual({ deleteCustomProvider: true });
    const [{ count }] = await api.app.core.db.query('SELECT count(*)::int AS count FROM models WHERE provider_id = $1', [provider.id]);
    expect(count).toBe(0);
  });

  it("answers another workspace's provider like a missing one, and refuses built-ins", async () => {
    const provider = (await api.gql(CREATE, { input: { ...llama, name: 'Private' } }, acme.adminToken)).data!.createCustomProvider;
    expect(codeOf(await api.gql(DELETE, { id: provider.id }, globex.adminToken))).toBe('NOT_FOUND');
    expect(codeOf(await api.gql(DELETE, { id: '00000000-0000-4000-8000-000000000000' }, globex.adminToken))).toBe('NOT_FOUND');
    const builtIn = (await api.gql(PROVIDERS, undefined, acme.adminToken)).data!.providers.find((p: { slug: string }) => p.slug === 'openai');
    const refused = await api.gql(DELETE, { id: builtIn.id }, acme.adminToken);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].message).toMatch(/built-in/);
  });

  it('gives a slug that never collides with a built-in one', async () => {
    const created = await api.gql(CREATE, { input: { ...llama, name: 'OpenAI' } }, acme.adminToken);
    expect(created.data!.createCustomProvider.slug).toBe('openai-2');
    const again = await api.gql(CREATE, { input: { ...llama, name: 'openai' } }, acme.adminToken);
    expect(codeOf(again)).toBe('CONFLICT');
  });

  it.each([
    ['an empty name', { name: '  ' }, /needs a name/],
    ['a long name', { name: 'x'.repeat(101) }, /at most 100/],
    ['a bad endpoint', { endpoint: 'not a url' }, /absolute URL/],
    ['an endpoint with credentials', { endpoint: 'http://a:b@host' }, /user name or password/],
    ['a duplicated model', { models: [{ modelId: 'm', capabilities: [] }, { modelId: 'm', capabilities: [] }] }, /declared twice/],
    ['a model id with spaces', { models: [{ modelId: 'my model', capabilities: [] }] }, /without spaces/],
    ['an empty model id', { models: [{ modelId: ' ', capabilities: [] }] }, /empty modelId/],
  ])('refuses %s with BAD_USER_INPUT and creates nothing', async (_case, override, message) => {
    const before = (await api.gql(PROVIDERS, undefined, acme.adminToken)).data!.providers.length;
    const response = await api.gql(CREATE, { input: { ...llama, name: `V ${Math.random()}`, ...override } }, acme.adminToken);
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0].message).toMatch(message);
    expect((await api.gql(PROVIDERS, undefined, acme.adminToken)).data!.providers).toHaveLength(before);
  });

  it('is for ADMIN only', async () => {
    const member = await acme.token(Role.MEMBER);
    expect(codeOf(await api.gql(CREATE, { input: { ...llama, name: 'Nope' } }, member))).toBe('FORBIDDEN');
    expect((await api.gql(PROVIDERS, undefined, member)).errors).toBeUndefined();
  });
});
