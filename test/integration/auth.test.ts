import { issueToken } from '../../src/auth/app-token';
import { Role } from '../../src/auth/role';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf } from '../helpers/graphql-client';
import { startTestApi, type TestApi } from '../helpers/test-api';

const VIEWER = '{ viewer { role appKeyId workspace { id name } } }';

describe('authentication and app keys', () => {
  let api: TestApi;
  let acme: TestWorkspace;
  let globex: TestWorkspace;

  beforeAll(async () => {
    api = await startTestApi();
    acme = await createWorkspace(api.app.core, 'Acme');
    globex = await createWorkspace(api.app.core, 'Globex');
  });
  afterAll(() => api.stop());

  describe('over HTTP', () => {
    it('answers the viewer for a valid token', async () => {
      const response = await api.gql(VIEWER, undefined, acme.adminToken);
      expect(response.errors).toBeUndefined();
      expect(response.data?.viewer).toMatchObject({ role: 'ADMIN', workspace: { id: acme.workspace.id, name: 'Acme' } });
    });

    it('refuses a missing token per field with UNAUTHENTICATED', async () => {
      const response = await api.gql(VIEWER);
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
      expect(response.data).toBeNull();
    });

    it.each([
      ['malformed', 'Bearer not-a-token'],
      ['bad checksum', `Bearer ${'byok_'}${'a'.repeat(38)}`],
      ['not Bearer', 'Basic abc'],
    ])('refuses a %s token with 401 UNAUTHENTICATED', async (_label, header) => {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: header },
        body: JSON.stringify({ query: VIEWER }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a well-formed token that was never issued', async () => {
      const response = await api.gql(VIEWER, undefined, issueToken().token);
      expect(response.status).toBe(401);
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
    });

    it('refuses a role that is not allowed with FORBIDDEN', async () => {
      for (const role of [Role.MEMBER, Role.SERVICE]) {
        const token = await acme.token(role);
        const viewer = await api.gql(VIEWER, undefined, token);
        expect(viewer.data?.viewer.role).toBe(role);
        expect(codeOf(await api.gql('{ appKeys { id } }', undefined, token))).toBe('FORBIDDEN');
        expect(codeOf(await api.gql('mutation { createAppKey(name: "x", role: ADMIN) { token } }', undefined, token))).toBe('FORBIDDEN');
      }
    });

    it('records when a token was last used', async () => {
      const token = await acme.token(Role.MEMBER, 'usage');
      await api.gql(VIEWER, undefined, token);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const keys = await api.gql('{ appKeys { name lastUsedAt } }', undefined, acme.adminToken);
      const key = keys.data?.appKeys.find((k: { name: string }) => k.name === 'usage');
      expect(key.lastUsedAt).not.toBeNull();
    });
  });

  describe('app key management', () => {
    it('creates a token that is shown once and works at once', async () => {
      const created = await api.gql(
        'mutation { createAppKey(name: "ci", role: SERVICE) { token appKey { id name role prefix revokedAt } } }',
        undefined,
        acme.adminToken,
      );
      expect(created.errors).toBeUndefined();
      const { token, appKey } = created.data!.createAppKey;
      expect(token.startsWith(appKey.prefix)).toBe(true);
      expect(appKey).toMatchObject({ name: 'ci', role: 'SERVICE', revokedAt: null });
      const viewer = await api.gql(VIEWER, undefined, token);
      expect(viewer.data?.viewer).toMatchObject({ role: 'SERVICE', appKeyId: appKey.id });

      const list = await api.gql('{ appKeys { id prefix } }', undefined, acme.adminToken);
      expect(JSON.stringify(list.data)).not.toContain(token);
      expect(list.data?.appKeys.map((k: { id: string }) => k.id)).toContain(appKey.id);
    });

    it('rejects bad names and roles with BAD_USER_INPUT', async () => {
      expect(codeOf(await api.gql('mutation { createAppKey(name: "  ", role: MEMBER) { token } }', undefined, acme.adminToken))).toBe('BAD_USER_INPUT');
      expect(codeOf(await api.gql(`mutation { createAppKey(name: "${'x'.repeat(101)}", role: MEMBER) { token } }`, undefined, acme.adminToken))).toBe('BAD_USER_INPUT');
      const badRole = await api.gql('mutation { createAppKey(name: "x", role: OWNER) { token } }', undefined, acme.adminToken);
      expect(codeOf(badRole)).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('never lists or revokes another workspace\'s keys', async () => {
      const foreign = await api.gql('{ appKeys { id } }', undefined, globex.adminToken);
      const acmeKeys = await api.gql('{ appKeys { id } }', undefined, acme.adminToken);
      const acmeIds = acmeKeys.data?.appKeys.map((k: { id: string }) => k.id);
      expect(foreign.data?.appKeys.some((k: { id: string }) => acmeIds.includes(k.id))).toBe(false);

      const revoke = await api.gql('mutation($id: ID!) { revokeAppKey(id: $id) { id } }', { id: acmeIds[0] }, globex.adminToken);
      const missing = await api.gql('mutation($id: ID!) { revokeAppKey(id: $id) { id } }', { id: '00000000-0000-4000-8000-000000000000' }, globex.adminToken);
      const garbage = await api.gql('mutation($id: ID!) { revokeAppKey(id: $id) { id } }', { id: 'nope' }, globex.adminToken);
      expect(codeOf(revoke)).toBe('NOT_FOUND');
      expect(codeOf(missing)).toBe('NOT_FOUND');
      expect(codeOf(garbage)).toBe('NOT_FOUND');
      expect(revoke.errors?.[0].message.replace(acmeIds[0], 'ID')).toBe(missing.errors?.[0].message.replace('00000000-0000-4000-8000-000000000000', 'ID'));
    });

    it('stops a revoked token at once on HTTP', async () => {
      const created = await api.gql('mutation { createAppKey(name: "temp", role: MEMBER) { token appKey { id } } }', undefined, acme.adminToken);
      const { token, appKey } = created.data!.createAppKey;
      expect((await api.gql(VIEWER, undefined, token)).data?.viewer.role).toBe('MEMBER');
      const revoked = await api.gql('mutation($id: ID!) { revokeAppKey(id: $id) { id revokedAt } }', { id: appKey.id }, acme.adminToken);
      expect(revoked.data?.revokeAppKey.revokedAt).not.toBeNull();
      const after = await api.gql(VIEWER, undefined, token);
      expect(after.status).toBe(401);
      expect(codeOf(after)).toBe('UNAUTHENTICATED');
    });

    it('refuses to revoke the last active ADMIN key', async () => {
      const solo = await createWorkspace(api.app.core, 'Solo');
      const viewer = await api.gql(VIEWER, undefined, solo.adminToken);
      const response = await api.gql('mutation($id: ID!) { revokeAppKey(id: $id) { id } }', { id: viewer.data?.viewer.appKeyId }, solo.adminToken);
      expect(codeOf(response)).toBe('CONFLICT');
      expect(response.errors?.[0].message).toMatch(/last active ADMIN/);
    });
  });

  describe('over WebSocket', () => {
    it('closes with 4403 when connection_init carries no token', async () => {
      const ws = api.ws();
      ws.subscribe('subscription { __typename }');
      expect((await ws.closed).code).toBe(4403);
    });

    it('closes with 4403 for a malformed or unknown token', async () => {
      for (const token of ['garbage', issueToken().token]) {
        const ws = api.ws(token);
        ws.subscribe('subscription { __typename }');
        expect((await ws.closed).code).toBe(4403);
      }
    });

    it('accepts a valid token and closes the socket with 4403 when it is revoked', async () => {
      const created = await api.gql('mutation { createAppKey(name: "dash", role: MEMBER) { token appKey { id } } }', undefined, acme.adminToken);
      const { token, appKey } = created.data!.createAppKey;
      const ws = api.ws(token);
      const result = await new Promise<unknown>((resolve, reject) => {
        ws.client.subscribe({ query: '{ viewer { role } }' }, { next: resolve, error: reject, complete: () => undefined });
      });
      expect(result).toEqual({ data: { viewer: { role: 'MEMBER' } } });
      await api.gql('mutation($id: ID!) { revokeAppKey(id: $id) { id } }', { id: appKey.id }, acme.adminToken);
      const closed = await ws.closed;
      expect(closed.code).toBe(4403);
      expect(closed.reason).toMatch(/revoked/);
    });
  });
});
