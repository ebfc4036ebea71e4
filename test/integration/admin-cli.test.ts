import { runAdmin } from '../../scripts/admin';
import { runCommand } from '../helpers/processes';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { testEnv } from '../helpers/test-env';

describe('operator command line (npm run admin)', () => {
  let api: TestApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await startTestApi();
    env = testEnv(api.database.url, 'unused');
  });
  afterAll(() => api.stop());

  async function admin(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdmin(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
    return { code, out, err };
  }

  it('create-workspace --json prints exactly one JSON object whose token answers the viewer query', async () => {
    // Through npm itself, so the banner npm prints before a script is part of what is checked.
    const run = runCommand('npm', ['run', 'admin', '--', 'create-workspace', '--name', 'Acme', '--json'], env);
    const stdout: string[] = [];
    run.child.stdout?.removeAllListeners('data');
    run.child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
    expect((await run.exited).code).toBe(0);
    const text = stdout.join('').trim();
    const parsed = JSON.parse(text) as { workspaceId: string; token: string };
    expect(Object.keys(parsed).sort()).toEqual(['token', 'workspaceId']);

    const viewer = await api.gql('{ viewer { role workspace { id name } } }', undefined, parsed.token);
    expect(viewer.data?.viewer).toEqual({ role: 'ADMIN', workspace: { id: parsed.workspaceId, name: 'Acme' } });
  }, 60_000);

  it('create-workspace without --json prints the id and the token for a person', async () => {
    const result = await admin('create-workspace', '--name', 'Initech');
    expect(result.code).toBe(0);
    const text = result.out.join('\n');
    expect(text).toMatch(/workspace id: [0-9a-f-]{36}/);
    expect(text).toMatch(/ADMIN token: {2}byok_[0-9A-Za-z]{38}/);
  });

  it('list-workspaces lists them', async () => {
    await admin('create-workspace', '--name', 'Listed');
    const result = await admin('list-workspaces', '--json');
    expect(result.code).toBe(0);
    const names = (JSON.parse(result.out[0]) as { workspaces: { name: string }[] }).workspaces.map((w) => w.name);
    expect(names).toContain('Listed');
  });

  it('create-app-key issues a token with the requested role', async () => {
    const ws = JSON.parse((await admin('create-workspace', '--name', 'Keys', '--json')).out[0]) as { workspaceId: string };
    const result = await admin('create-app-key', '--workspace', ws.workspaceId, '--role', 'service', '--name', 'runtime', '--json');
    expect(result.code).toBe(0);
    const { token, role } = JSON.parse(result.out[0]) as { token: string; role: string };
    expect(role).toBe('SERVICE');
    const viewer = await api.gql('{ viewer { role workspace { id } } }', undefined, token);
    expect(viewer.data?.viewer).toEqual({ role: 'SERVICE', workspace: { id: ws.workspaceId } });
  });

  it.each([
    [['create-workspace'], /--name is required/],
    [['create-workspace', '--name', '   '], /--name is required/],
    [['create-workspace', '--nme', 'x'], /Unknown option/],
    [['create-app-key', '--workspace', '00000000-0000-4000-8000-000000000000', '--role', 'ADMIN', '--name', 'x'], /was not found/],
    [['create-app-key', '--workspace', 'nope', '--role', 'OWNER', '--name', 'x'], /--role must be one of/],
    [['launch-rockets'], /Unknown command/],
  ])('refuses %j with a usage error and exit code 2', async (args, message) => {
    const result = await admin(...(args as string[]));
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toMatch(message);
    expect(result.out).toEqual([]);
  });

  it('names a bad configuration and exits 1', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdmin(['list-workspaces'], { out: (l) => out.push(l), err: (l) => err.push(l) }, { ...env, PORT: 'x' });
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('PORT');
  });
});
