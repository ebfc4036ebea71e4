import { getIntrospectionQuery } from 'graphql';
import { startTestApi, type TestApi } from '../helpers/test-api';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('playground at GET /graphql', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.stop());

  it('serves the page and every asset it names from the api itself', async () => {
    const page = await fetch(api.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(['/playground/app.css', '/playground/app.js']);
    for (const asset of [...assets, '/playground/editor.worker.js', '/playground/json.worker.js', '/playground/graphql.worker.js']) {
      const response = await fetch(`${api.baseUrl}${asset}`);
      // Read the body: an unread response keeps its connection busy and slows the api's shutdown.
      expect({ asset, status: response.status, bytes: (await response.arrayBuffer()).byteLength > 0 }).toEqual({ asset, status: 200, bytes: true });
    }
    const missing = await fetch(`${api.baseUrl}/playground/nope.js`);
    await missing.arrayBuffer();
    expect(missing.status).toBe(404);
  });

  it('leaves POSTs and non-HTML GETs to the API, with CSRF prevention on', async () => {
    expect((await api.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    const plainGet = await fetch(`${api.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await plainGet.json()).toEqual({ data: { __typename: 'Query' } });
    const browserGetQuery = await fetch(`${api.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: BROWSER_ACCEPT } });
    expect(browserGetQuery.status).toBe(400);
    expect(await browserGetQuery.text()).toMatch(/CSRF/);
  });

  it('lets the playground load the full schema within the default limits', async () => {
    const response = await api.gql(getIntrospectionQuery());
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.queryType.name).toBe('Query');
  });

  it('is off in production unless PLAYGROUND=true', async () => {
    for (const [env, served] of [
      [{ NODE_ENV: 'production' }, false],
      [{ NODE_ENV: 'production', PLAYGROUND: 'true' }, true],
      [{ PLAYGROUND: 'false' }, false],
    ] as const) {
      const other = await startTestApi({ database: api.database, env });
      try {
        const page = await fetch(other.url, { headers: { accept: BROWSER_ACCEPT } });
        expect({ env, html: (page.headers.get('content-type') ?? '').startsWith('text/html') }).toEqual({ env, html: served });
        await page.arrayBuffer();
        const asset = await fetch(`${other.baseUrl}/playground/app.js`);
        await asset.arrayBuffer();
        expect({ env, asset: asset.status }).toEqual({ env, asset: served ? 200 : 404 });
      } finally {
        await other.stop();
      }
    }
  });
});
