import { launchBrowser, saveScreenshot, type TestBrowser } from '../helpers/browser';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { startTickServer, type TickServer } from '../helpers/tick-server';
import { PlaygroundPage } from './playground-page';

/**
 * Subscriptions from the playground over graphql-ws, with the pasted token in connection_init.
 * The API has no subscription field yet, so this runs the real server over a schema with `ticks`;
 * once keyStatusChanged exists the same steps run in playground.test.ts against the real schema.
 */
describe('playground subscriptions in a browser', () => {
  let api: TestApi;
  let ticks: TickServer;
  let browser: TestBrowser;
  let workspace: TestWorkspace;

  beforeAll(async () => {
    api = await startTestApi();
    workspace = await createWorkspace(api.app.core, 'Ticks');
    ticks = await startTickServer(api);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ticks?.close();
    await api?.stop();
  });

  it('shows subscription events as they arrive, authenticated by the pasted token', async () => {
    const page = await browser.newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const playground = new PlaygroundPage(page);
    try {
      await playground.open(`${ticks.baseUrl}/graphql`);
      await playground.useToken(workspace.adminToken);
      await playground.openTab('WatchKeyStatus');
      await playground.typeOperation('subscription Ticks { ticks }');
      await playground.run();
      // Publish until the subscription is registered on the server and the event shows.
      for (let i = 1; ; i += 1) {
        ticks.tick(`tick-${i}`);
        try {
          await playground.waitForResponse(/"ticks": "ADMIN:tick-\d+"/, 500);
          break;
        } catch (error) {
          if (i >= 30) throw error;
        }
      }
      expect(sockets).toEqual([ticks.wsUrl]);
    } finally {
      await saveScreenshot(page, 'playground-subscription');
      await page.close();
    }
  }, 60_000);
});
