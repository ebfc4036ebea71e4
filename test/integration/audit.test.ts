import { AuditService } from '../../src/audit/audit.service';
import { Role } from '../../src/auth/role';
import { ProviderKeyService } from '../../src/keys/provider-key.service';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf, type GraphQLResponse } from '../helpers/graphql-client';
import { ADD_KEY, DELETE_KEY, ROTATE_KEY, UPDATE_KEY, fakeSecret, providerIds } from '../helpers/key-operations';
import { leakedSlices } from '../helpers/leaks';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { maskSecret } from '../../src/secrets/mask';

const AUDIT = `query($filter: AuditFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id action actor targetType targetId details createdAt } }
    pageInfo { hasNextPage endCursor } } }`;

interface Event {
  id: string;
  action: string;
  actor: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, any> | null;
}

describe('the audit trail', () => {
  let api: TestApi;
  let acme: TestWorkspace;
  let adminKeyId: string;
  let ids: Record<string, string>;

  const events = async (variables: Record<string, unknown> = {}, token = acme.adminToken): Promise<Event[]> => {
    const response = await api.gql(AUDIT, { first: 200, ...variables }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.auditEvents.edges.map((e: { node: Event }) => e.node);
  };

  beforeAll(async () => {
    api = await startTestApi();
    acme = await createWorkspace(api.app.core, 'Acme');
    adminKeyId = (await api.gql('{ viewer { appKeyId } }', undefined, acme.adminToken)).data!.viewer.appKeyId;
    ids = await providerIds(api, acme.adminToken);
  });
  afterAll(() => api.stop());

  it('records every change with its actor, newest first, and never a secret', async () => {
    const secret = fakeSecret();
    const rotatedSecret = fakeSecret();
    const key = (await api.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: secret, label: 'main' } }, acme.adminToken)).data!.addProviderKey;
    await api.gql(UPDATE_KEY, { id: key.id, label: 'primary' }, acme.adminToken);
    await api.gql(ROTATE_KEY, { id: key.id, apiKey: rotatedSecret }, acme.adminToken);
    await api.gql(DELETE_KEY, { id: key.id }, acme.adminToken);
    const provider = (
      await api.gql('mutation { createCustomProvider(input: { name: "Own", endpoint: "https://own.example.com", protocol: OPENAI, models: [] }) { id } }', undefined, acme.adminToken)
    ).data!.createCustomProvider;
    await api.gql('mutation($id: ID!) { deleteCustomProvider(id: $id) }', { id: provider.id }, acme.adminToken);
    const created = (await api.gql('mutation { createAppKey(name: "bot", role: SERVICE) { appKey { id } } }', undefined, acme.adminToken)).data!.createAppKey;
    await api.gql('mutation($id: ID!) { revokeAppKey(id: $id) { id } }', { id: created.appKey.id }, acme.adminToken);

    const trail = await events();
    expect(trail.map((e) => e.action)).toEqual([
      'app_key.revoked',
      'app_key.created',
      'provider.deleted',
      'provider.created',
      'key.deleted',
      'key.rotated',
      'key.updated',
      'key.created',
      'app_key.created',
    ]);
    const ids_ = trail.map((e) => Number(e.id));
    expect([...ids_].sort((a, b) => b - a)).toEqual(ids_);
    expect(trail.at(-1)).toMatchObject({ actor: 'operator', targetType: 'app_key' });
    for (const event of trail.slice(0, -1)) expect(event.actor).toBe(`app_key:${adminKeyId}`);

    const deleted = trail.find((e) => e.action === 'key.deleted')!;
    expect(deleted).toMatchObject({ targetType: 'provider_key', targetId: key.id });
    expect(deleted.details).toMatchObject({ provider: 'openai', label: 'primary', maskedKey: expect.stringContaining('…') });
    expect(trail.find((e) => e.action === 'key.rotated')!.details).toMatchObject({ secretVersion: 2, maskedKey: { from: key.maskedKey } });
    expect(trail.find((e) => e.action === 'key.updated')!.details).toMatchObject({ label: { from: 'main', to: 'primary' } });

    const text = JSON.stringify(trail);
    expect(leakedSlices(text, secret, maskSecret(secret))).toEqual([]);
    expect(leakedSlices(text, rotatedSecret, maskSecret(rotatedSecret))).toEqual([]);
  });

  it('pages with opaque cursors without gaps or repeats', async () => {
    const all = await events();
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: GraphQLResponse = await api.gql(AUDIT, { first: 2, after }, acme.adminToken);
      const page: { edges: { node: Event }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = response.data!.auditEvents;
      seen.push(...page.edges.map((e: { node: Event }) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.map((e) => e.id));
  });

  it('filters by action, target and time', async () => {
    const all = await events();
    const rotated = all.find((e) => e.action === 'key.rotated')!;
    expect((await events({ filter: { action: 'key.rotated' } })).map((e) => e.id)).toEqual([rotated.id]);
    expect((await events({ filter: { targetId: rotated.targetId } })).map((e) => e.action)).toEqual(['key.deleted', 'key.rotated', 'key.updated', 'key.created']);
    expect(await events({ filter: { since: new Date(Date.now() + 60_000).toISOString() } })).toEqual([]);
    expect((await events({ filter: { since: new Date(Date.now() - 60_000).toISOString() } })).length).toBe(all.length);
  });

  it('refuses bad paging input with BAD_USER_INPUT', async () => {
    expect(codeOf(await api.gql(AUDIT, { first: 0 }, acme.adminToken))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(AUDIT, { first: 201 }, acme.adminToken))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(AUDIT, { after: 'garbage' }, acme.adminToken))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(AUDIT, { after: Buffer.from('audit:1; DROP').toString('base64url') }, acme.adminToken))).toBe('BAD_USER_INPUT');
  });

  it('is for ADMIN only, and shows only the caller’s workspace', async () => {
    expect(codeOf(await api.gql(AUDIT, {}, await acme.token(Role.MEMBER)))).toBe('FORBIDDEN');
    expect(codeOf(await api.gql(AUDIT, {}, await acme.token(Role.SERVICE)))).toBe('FORBIDDEN');
    const other = await createWorkspace(api.app.core, 'Other');
    const theirs = await events({}, other.adminToken);
    expect(theirs.map((e) => e.action)).toEqual(['app_key.created']);
  });

  it('is append-only in the database', async () => {
    await expect(api.app.core.db.query("UPDATE audit_events SET actor = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(api.app.core.db.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
  });

  it('is written in the same transaction as the change: no audit row, no change', async () => {
    const { core } = api.app;
    const failingAudit = new AuditService(core.db);
    failingAudit.record = async () => {
      throw new Error('audit store failed');
    };
    const keys = new ProviderKeyService(core.db, core.services.vault, failingAudit, core.services.providers, core.services.selections, core.services.workspaceEvents);
    const viewer = (await core.services.auth.authenticate(acme.adminToken))!;
    const before = await core.db.query('SELECT count(*)::int AS n FROM provider_keys');
    await expect(keys.add(viewer, { providerId: ids.openai, apiKey: fakeSecret() })).rejects.toThrow('audit store failed');
    expect(await core.db.query('SELECT count(*)::int AS n FROM provider_keys')).toEqual(before);
  });
});
