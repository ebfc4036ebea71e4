import { Role } from '../../src/auth/role';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf } from '../helpers/graphql-client';
import { ADD_KEY, DELETE_KEY, KEY, KEYS, ROTATE_KEY, UPDATE_KEY, fakeSecret, providerIds } from '../helpers/key-operations';
import { leakedSlices } from '../helpers/leaks';
import { startTestApi, type TestApi } from '../helpers/test-api';

describe('the provider key table', () => {
  let api: TestApi;
  let acme: TestWorkspace;
  let globex: TestWorkspace;
  let ids: Record<string, string>;

  const add = (input: Record<string, unknown>, token = acme.adminToken) => api.gql(ADD_KEY, { input }, token);
  const addOk = async (input: Record<string, unknown>, token = acme.adminToken) => {
    const response = await add(input, token);
    expect(response.errors).toBeUndefined();
    return response.data!.addProviderKey;
  };
  const secretOf = async (id: string): Promise<Buffer | undefined> => {
    const rows = (await api.app.core.db.query('SELECT secret FROM provider_keys WHERE id = $1', [id])) as { secret: Buffer }[];
    return rows[0]?.secret;
  };

  beforeAll(async () => {
    api = await startTestApi();
    acme = await createWorkspace(api.app.core, 'Acme');
    globex = await createWorkspace(api.app.core, 'Globex');
    ids = await providerIds(api, acme.adminToken);
  });
  afterAll(() => api.stop());

  it('lists the seven seed providers and the rest of the built-ins', async () => {
    for (const slug of ['openai', 'anthropic', 'google', 'xai', 'deepseek', 'mistral', 'openrouter', 'groq', 'together', 'azure-openai', 'ollama']) {
      expect(ids[slug]).toBeDefined();
    }
    const response = await api.gql('{ providers { slug protocol defaultEndpoint builtIn } }', undefined, acme.adminToken);
    const bySlug = Object.fromEntries(response.data!.providers.map((p: { slug: string }) => [p.slug, p]));
    expect(bySlug.openrouter).toEqual({ slug: 'openrouter', protocol: 'OPENROUTER', defaultEndpoint: 'https://openrouter.ai/api/v1', builtIn: true });
    expect(bySlug.anthropic.defaultEndpoint).toBe('https://api.anthropic.com');
    expect(bySlug['azure-openai'].defaultEndpoint).toBeNull();
  });

  it('adds a key for every seed provider: masked, untested, healthy, on the default endpoint', async () => {
    for (const slug of ['openai', 'anthropic', 'google', 'xai', 'deepseek', 'mistral', 'openrouter']) {
      const secret = fakeSecret(slug);
      const key = await addOk({ providerId: ids[slug], apiKey: `  ${secret}\t`, label: `${slug} main` });
      expect(key).toMatchObject({
        label: `${slug} main`,
        secretVersion: 1,
        testStatus: 'UNTESTED',
        health: 'HEALTHY',
        lastError: null,
        rotatedAt: null,
        provider: { slug, builtIn: true },
      });
      expect(key.maskedKey.endsWith(secret.slice(-4))).toBe(true);
      expect(key.maskedKey).toContain('…');
      expect(JSON.stringify(key)).not.toContain(secret);
    }
    const table = await api.gql(KEYS, undefined, acme.adminToken);
    expect(table.data!.providerKeys).toHaveLength(7);
  });

  it('allows several keys per provider with different labels and endpoints', async () => {
    const a = await addOk({ providerId: ids.openai, apiKey: fakeSecret(), label: 'team a' });
    const b = await addOk({ providerId: ids.openai, apiKey: fakeSecret(), label: 'team b', endpoint: 'https://proxy.example.com/v1/' });
    expect(a.endpoint).toBe('https://api.openai.com/v1');
    expect(b.endpoint).toBe('https://proxy.example.com/v1');
  });

  it('refuses a duplicate of a stored key for the same provider, but not for another provider', async () => {
    const secret = fakeSecret();
    const first = await addOk({ providerId: ids.openai, apiKey: secret, label: 'original' });
    const again = await add({ providerId: ids.openai, apiKey: secret, label: 'copy' });
    expect(codeOf(again)).toBe('DUPLICATE_KEY');
    expect(again.errors![0].message).toContain(first.maskedKey);
    expect(again.errors![0].message).not.toContain(secret);
    await addOk({ providerId: ids.deepseek, apiKey: secret });
    // Another workspace may store the same secret: duplicates are per workspace.
    await addOk({ providerId: ids.openai, apiKey: secret }, globex.adminToken);
  });

  it('refuses concurrent duplicates through the unique fingerprint index', async () => {
    const secret = fakeSecret();
    const results = await Promise.all(Array.from({ length: 5 }, () => add({ providerId: ids.mistral, apiKey: secret })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => codeOf(r) === 'DUPLICATE_KEY')).toHaveLength(4);
  });

  it.each([
    ['an empty key', { apiKey: '' }, /empty/],
    ['a whitespace key', { apiKey: '   \t ' }, /empty/],
    ['a key with a line break', { apiKey: 'sk-abc\ndef0123456789' }, /line break/],
    ['a key with inner spaces', { apiKey: 'sk-abc def0123456789' }, /spaces/],
    ['an absurdly long key', { apiKey: `sk-${'a'.repeat(5000)}` }, /at most 1024/],
    ['a relative endpoint', { endpoint: 'api.openai.com/v1' }, /absolute URL/],
    ['a non-http endpoint', { endpoint: 'ftp://files.example.com' }, /http or https/],
    ['an endpoint with credentials', { endpoint: 'https://user:pass@api.example.com' }, /user name or password/],
    ['an endpoint with a fragment', { endpoint: 'https://api.example.com/v1#x' }, /fragment/],
    ['an endpoint with a query', { endpoint: 'https://api.example.com/v1?x=1' }, /query string/],
    ['a label that is too long', { label: 'x'.repeat(101) }, /at most 100/],
    ['an unknown provider', { providerId: '00000000-0000-4000-8000-000000000000' }, /not found/],
    ['a malformed provider id', { providerId: 'openai' }, /not found/],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_case, override, message) => {
    const before = (await api.gql(KEYS, undefined, acme.adminToken)).data!.providerKeys.length;
    const input = { providerId: ids.openai, apiKey: fakeSecret(), ...override };
    const response = await add(input);
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0].message).toMatch(message);
    // The refusal never echoes the key (any 8-character piece of it).
    expect(leakedSlices(JSON.stringify(response), String(input.apiKey).trim().slice(0, 64))).toEqual([]);
    expect((await api.gql(KEYS, undefined, acme.adminToken)).data!.providerKeys).toHaveLength(before);
  });

  it('requires an endpoint for a provider without a default (Azure OpenAI)', async () => {
    const missing = await add({ providerId: ids['azure-openai'], apiKey: fakeSecret('azure') });
    expect(codeOf(missing)).toBe('BAD_USER_INPUT');
    expect(missing.errors![0].message).toMatch(/no default endpoint/);
    const ok = await addOk({ providerId: ids['azure-openai'], apiKey: fakeSecret('azure'), endpoint: 'https://acme.openai.azure.com' });
    expect(ok.endpoint).toBe('https://acme.openai.azure.com');
  });

  describe('rotation and updates', () => {
    it('rotates: new ciphertext, secretVersion + 1, UNTESTED, rotatedAt set, new mask', async () => {
      const key = await addOk({ providerId: ids.anthropic, apiKey: fakeSecret('anthropic'), label: 'rotate me' });
      const before = await secretOf(key.id);
      await api.app.core.db.query("UPDATE provider_keys SET test_status = 'PASSED' WHERE id = $1", [key.id]);
      const secret = fakeSecret('anthropic');
      const rotated = await api.gql(ROTATE_KEY, { id: key.id, apiKey: secret }, acme.adminToken);
      expect(rotated.errors).toBeUndefined();
      expect(rotated.data!.rotateProviderKey).toMatchObject({ id: key.id, secretVersion: 2, testStatus: 'UNTESTED', label: 'rotate me' });
      expect(rotated.data!.rotateProviderKey.rotatedAt).not.toBeNull();
      expect(rotated.data!.rotateProviderKey.maskedKey.endsWith(secret.slice(-4))).toBe(true);
      const after = await secretOf(key.id);
      expect(after!.equals(before!)).toBe(false);
      // The new ciphertext opens only as version 2.
      const binding = { workspaceId: acme.workspace.id, keyId: key.id };
      expect(api.app.core.services.vault.open(after!, { ...binding, secretVersion: 2 })).toBe(secret);
      expect(() => api.app.core.services.vault.open(after!, { ...binding, secretVersion: 1 })).toThrow();
    });

    it('changes the label alone without touching the secret', async () => {
      const key = await addOk({ providerId: ids.google, apiKey: fakeSecret('google'), label: 'old' });
      const before = await secretOf(key.id);
      const updated = await api.gql(UPDATE_KEY, { id: key.id, label: '  new  ' }, acme.adminToken);
      expect(updated.data!.updateProviderKey).toMatchObject({ label: 'new', secretVersion: 1, testStatus: 'UNTESTED' });
      expect((await secretOf(key.id))!.equals(before!)).toBe(true);
      const cleared = await api.gql(UPDATE_KEY, { id: key.id, label: null }, acme.adminToken);
      expect(cleared.data!.updateProviderKey.label).toBeNull();
    });

    it('refuses an endpoint change without the key, and rotates when the key comes with it', async () => {
      const key = await addOk({ providerId: ids.openai, apiKey: fakeSecret(), label: 'moving' });
      const refused = await api.gql(UPDATE_KEY, { id: key.id, endpoint: 'https://evil.example.com/v1' }, acme.adminToken);
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors![0].message).toMatch(/requires re-entering the key/);
      expect((await api.gql(KEY, { id: key.id }, acme.adminToken)).data!.providerKey.endpoint).toBe('https://api.openai.com/v1');

      const same = await api.gql(UPDATE_KEY, { id: key.id, endpoint: 'https://api.openai.com/v1/' }, acme.adminToken);
      expect(same.errors).toBeUndefined();

      const moved = await api.gql(UPDATE_KEY, { id: key.id, endpoint: 'https://proxy.example.com/v1', apiKey: fakeSecret() }, acme.adminToken);
      expect(moved.data!.updateProviderKey).toMatchObject({ endpoint: 'https://proxy.example.com/v1', secretVersion: 2, testStatus: 'UNTESTED' });
    });

    it('refuses rotating to a secret another key of the provider already has', async () => {
      const secret = fakeSecret();
      await addOk({ providerId: ids.openai, apiKey: secret });
      const other = await addOk({ providerId: ids.openai, apiKey: fakeSecret() });
      expect(codeOf(await api.gql(ROTATE_KEY, { id: other.id, apiKey: secret }, acme.adminToken))).toBe('DUPLICATE_KEY');
    });

    it('validates the new key like a new one', async () => {
      const key = await addOk({ providerId: ids.openai, apiKey: fakeSecret() });
      expect(codeOf(await api.gql(ROTATE_KEY, { id: key.id, apiKey: ' ' }, acme.adminToken))).toBe('BAD_USER_INPUT');
      expect(codeOf(await api.gql(UPDATE_KEY, { id: key.id, label: 'x'.repeat(200) }, acme.adminToken))).toBe('BAD_USER_INPUT');
    });
  });

  it('deletes a key: the row and its ciphertext are gone', async () => {
    const key = await addOk({ providerId: ids.xai, apiKey: fakeSecret('xai'), label: 'doomed' });
    expect(await secretOf(key.id)).toBeDefined();
    const deleted = await api.gql(DELETE_KEY, { id: key.id }, acme.adminToken);
    expect(deleted.data).toEqual({ deleteProviderKey: true });
    expect(await secretOf(key.id)).toBeUndefined();
    expect((await api.gql(KEY, { id: key.id }, acme.adminToken)).data!.providerKey).toBeNull();
    expect(codeOf(await api.gql(DELETE_KEY, { id: key.id }, acme.adminToken))).toBe('NOT_FOUND');
  });

  it("answers another workspace's key ids exactly like ids that do not exist, for every operation", async () => {
    const theirs = await addOk({ providerId: ids.openai, apiKey: fakeSecret() }, globex.adminToken);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await api.gql(KEY, { id: theirs.id }, acme.adminToken)).data!.providerKey).toBeNull();
    const ops: [string, Record<string, unknown>][] = [
      [ROTATE_KEY, { apiKey: fakeSecret() }],
      [UPDATE_KEY, { label: 'mine now' }],
      [DELETE_KEY, {}],
    ];
    for (const [query, extra] of ops) {
      const foreign = await api.gql(query, { id: theirs.id, ...extra }, acme.adminToken);
      const absent = await api.gql(query, { id: missing, ...extra }, acme.adminToken);
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect(foreign.errors![0].message.replace(theirs.id, 'ID')).toBe(absent.errors![0].message.replace(missing, 'ID'));
    }
    const table = await api.gql(KEYS, undefined, acme.adminToken);
    expect(table.data!.providerKeys.map((k: { id: string }) => k.id)).not.toContain(theirs.id);
    // Untouched on their side.
    expect((await api.gql(KEY, { id: theirs.id }, globex.adminToken)).data!.providerKey).toMatchObject({ secretVersion: 1, label: null });
  });

  it('lets MEMBER read the table but not add, rotate, update or delete; SERVICE cannot read it', async () => {
    const member = await acme.token(Role.MEMBER);
    const service = await acme.token(Role.SERVICE);
    const key = await addOk({ providerId: ids.openai, apiKey: fakeSecret() });
    expect((await api.gql(KEYS, undefined, member)).errors).toBeUndefined();
    for (const token of [member, service]) {
      expect(codeOf(await add({ providerId: ids.openai, apiKey: fakeSecret() }, token))).toBe('FORBIDDEN');
      expect(codeOf(await api.gql(ROTATE_KEY, { id: key.id, apiKey: fakeSecret() }, token))).toBe('FORBIDDEN');
      expect(codeOf(await api.gql(UPDATE_KEY, { id: key.id, label: 'x' }, token))).toBe('FORBIDDEN');
      expect(codeOf(await api.gql(DELETE_KEY, { id: key.id }, token))).toBe('FORBIDDEN');
    }
    expect(codeOf(await api.gql(KEYS, undefined, service))).toBe('FORBIDDEN');
  });
});
