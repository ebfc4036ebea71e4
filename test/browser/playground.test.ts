import { Role } from '../../src/auth/role';
import { launchBrowser, saveScreenshot, type TestBrowser } from '../helpers/browser';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { type FakeProvider, startOpenAiFake } from '../helpers/fake-providers';
import { fakeSecret } from '../helpers/key-operations';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { uniquePrefix } from '../helpers/test-env';
import { startTestWorker, type TestWorker } from '../helpers/test-worker';
import { PlaygroundPage } from './playground-page';

/**
 * A person opens the playground in a real (headless) Chromium, pastes a token once and runs
 * operations. Each step is a PlaygroundPage method so the key steps slot in as the API grows.
 */
describe('playground in a browser', () => {
  let api: TestApi;
  let worker: TestWorker;
  let fake: FakeProvider;
  let browser: TestBrowser;
  let workspace: TestWorkspace;

  beforeAll(async () => {
    const prefix = uniquePrefix('browser');
    api = await startTestApi({ redisPrefix: prefix });
    worker = await startTestWorker(api.database, prefix);
    fake = await startOpenAiFake({ defaultScenario: 'valid' });
    workspace = await createWorkspace(api.app.core, 'Browser');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await api?.stop();
    await fake?.close();
  });

  it('takes a token, runs a mutation, shows the result, and loads nothing from elsewhere', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const playground = new PlaygroundPage(page);
    try {
      await playground.open(api.url);
      await playground.useToken(workspace.adminToken);

      await playground.openTab('CreateAppKey');
      await playground.run();
      const response = await playground.waitForResponse(/"token": "byok_/);
      expect(response).toContain('"role": "MEMBER"');

      const created = await api.gql('{ appKeys { name role } }', undefined, workspace.adminToken);
      expect(created.data?.appKeys).toEqual(expect.arrayContaining([{ name: 'dashboard', role: Role.MEMBER }]));
      const origin = new URL(api.baseUrl).origin;
      expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
    } finally {
      await saveScreenshot(page, 'playground-mutation');
      await page.close();
    }
  }, 60_000);

  it('watches keyStatusChanged in one tab, adds a key in another, and sees the test events arrive', async () => {
    const watching = new PlaygroundPage(await browser.newPage());
    const adding = new PlaygroundPage(await browser.newPage());
    const sockets: string[] = [];
    watching.page.on('websocket', (socket) => sockets.push(socket.url()));
    try {
      await watching.open(api.url);
      await watching.useToken(workspace.adminToken);
      await watching.openTab('WatchKeyStatus');
      await watching.run();
      // The subscription is live once the socket is open and acknowledged.
      await watching.page.waitForTimeout(1_000);
      expect(sockets).toEqual([api.wsUrl]);

      await adding.open(api.url);
      await adding.useToken(workspace.adminToken);
      await adding.openTab('AddProviderKey');
      const input = { providerId: '00000000-0000-4000-a000-000000000001', apiKey: fakeSecret(), endpoint: fake.url, label: 'from the browser' };
      await adding.typeVariables(JSON.stringify({ input }));
      await adding.run();
      await adding.waitForResponse(/"testStatus": "UNTESTED"/);

      // The first tab shows the key's events as the worker tests it, ending PASSED.
      const shown = await watching.waitForResponse(/"testStatus": "PASSED"/, 30_000);
      expect(shown).toContain('"label": "from the browser"');
      expect(shown).toContain('"health": "HEALTHY"');
      expect(shown).not.toContain(input.apiKey);
    } finally {
      await saveScreenshot(watching.page, 'playground-subscription');
      await saveScreenshot(adding.page, 'playground-add-key');
      await watching.page.close();
      await adding.page.close();
    }
  }, 90_000);
});
