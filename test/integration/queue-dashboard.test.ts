import { Role } from '../../src/auth/role';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { startTestApi, type TestApi } from '../helpers/test-api';

const OPERATOR_TOKEN = 'operator-token-0123456789abcdefghij';
const basic = (password: string) => `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;

describe('queue dashboard at /admin/queues', () => {
  let setup: TestApi;
  let api: TestApi;
  let operators: TestWorkspace;
  let tenant: TestWorkspace;

  beforeAll(async () => {
    // The operator workspace must exist before the api that names it starts.
    setup = await startTestApi();
    operators = await createWorkspace(setup.app.core, 'Operators');
    tenant = await createWorkspace(setup.app.core, 'Tenant');
    api = await startTestApi({ database: setup.database, env: { OPERATOR_WORKSPACE_ID: operators.workspace.id, OPERATOR_TOKEN } });
  });
  afterAll(async () => {
    await api.stop();
    await setup.stop();
  });

  const get = (path: string, authorization?: string) =>
    fetch(`${api.baseUrl}${path}`, { headers: authorization ? { authorization } : {} });

  it('asks anonymous browsers to log in (401 with a Basic challenge)', async () => {
    const response = await get('/admin/queues');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="byok operators", charset="UTF-8"');
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await get('/admin/queues', basic('wrong'))).status).toBe(401);
  });

  it('refuses a MEMBER of the operator workspace and an ADMIN of another workspace with 403', async () => {
    const member = await operators.token(Role.MEMBER);
    for (const header of [`Bearer ${member}`, basic(member), `Bearer ${tenant.adminToken}`, basic(tenant.adminToken)]) {
      const response = await get('/admin/queues', header);
      expect({ header: header.slice(0, 6), status: response.status }).toEqual({ header: header.slice(0, 6), status: 403 });
    }
  });

  it('opens for an ADMIN of the operator workspace and for OPERATOR_TOKEN, by Bearer or Basic', async () => {
    for (const header of [`Bearer ${operators.adminToken}`, basic(operators.adminToken), `Bearer ${OPERATOR_TOKEN}`, basic(OPERATOR_TOKEN)]) {
      const page = await get('/admin/queues', header);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await page.text()).toContain('BYOK queues');
    }
    const queues = await get('/admin/queues/api/queues', `Bearer ${OPERATOR_TOKEN}`);
    expect(queues.status).toBe(200);
    expect(((await queues.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort()).toEqual(['key-test-scheduler', 'key-tests', 'runtime-events']);
  });

  it('refuses cross-site state changes even with valid credentials', async () => {
    const response = await fetch(`${api.baseUrl}/admin/queues/api/queues/pause`, {
      method: 'PUT',
      headers: { authorization: basic(OPERATOR_TOKEN), origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
  });

  it('is off (404) when no operator is configured', async () => {
    const response = await fetch(`${setup.baseUrl}/admin/queues`, { headers: { authorization: `Bearer ${operators.adminToken}` } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(/OPERATOR_TOKEN or OPERATOR_WORKSPACE_ID/);
  });
});
