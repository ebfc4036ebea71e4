import { Role } from '../../src/auth/role';
import { launchBrowser, saveScreenshot, type TestBrowser } from '../helpers/browser';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { PlaygroundPage } from './playground-page';

/**
 * A person opens the playground in a real (headless) Chromium, pastes a token once and runs
 * operations. Each step is a PlaygroundPage method so the key steps slot in as the API grows.
 */
describe('playground in a browser', () => {
  let api: TestApi;
  let browser: TestBrowser;
  let workspace: TestWorkspace;

  beforeAll(async () => {
    api = await startTestApi();
    workspace = await createWorkspace(api.app.core, 'Browser');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
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

      // Once addProviderKey and keyStatusChanged exist, the full scenario continues here:
      //   await playground.openTab('WatchKeyStatus'); await playground.run();   (subscription over graphql-ws)
      //   in a second page: openTab('AddProviderKey'), fill the variables, run;
      //   back on the first: waitForResponse(/"testStatus": "(TESTING|PASSED|FAILED)"/).

      const created = await api.gql('{ appKeys { name role } }', undefined, workspace.adminToken);
      expect(created.data?.appKeys).toEqual(expect.arrayContaining([{ name: 'dashboard', role: Role.MEMBER }]));
      const origin = new URL(api.baseUrl).origin;
      expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
    } finally {
      await saveScreenshot(page, 'playground-mutation');
      await page.close();
    }
  }, 60_000);

  it.todo('adds a provider key and sees its keyStatusChanged event arrive (needs addProviderKey and keyStatusChanged)');
});
