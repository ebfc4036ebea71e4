import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyErrorCode } from '../../../src/keys/key-error-code';
import { outboundGet, type HostResolver, type OutboundOptions } from '../../../src/providers/outbound-http';
import { Protocol } from '../../../src/providers/protocol';
import { verifyKey } from '../../../src/providers/verify-key';
import { startOpenAiFake, useFake, withFake } from '../../helpers/fake-providers';
import { expectNoKeyIn, FAKE_OPTIONS } from '../../helpers/key-assertions';
import { freePort } from '../../helpers/processes';

const KEY = 'sk-proj-Gh5Jk7Lz9Xc1Vb3Nm5Qw7Er9Ty1Ui3Op5';
const GUARDED: OutboundOptions = { allowPrivateEndpoints: false, timeoutMs: 2_000 };

/** A resolver that answers from a table and counts its calls, so no test touches real DNS. */
function tableResolver(table: Record<string, string[]>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = async (hostname: string) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };
  return Object.assign(resolver, { calls });
}

describe('the outbound guard', () => {
  const fake = useFake(() => startOpenAiFake({ keys: { [KEY]: 'valid' } }));
  const port = () => Number(new URL(fake().url).port);

  it.each([
    ['loopback', () => `http://127.0.0.1:${port()}/v1/models`, 'loopback'],
    ['a private network', () => 'http://10.0.0.1/v1/models', 'private network'],
    ['the metadata service', () => 'http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['IPv6 loopback', () => `http://[::1]:${port()}/v1/models`, 'loopback'],
    ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${port()}/v1/models`, '127.0.0.1, loopback'],
    ['0.0.0.0', () => `http://0.0.0.0:${port()}/v1/models`, 'this network'],
    ['decimal loopback', () => `http://2130706433:${port()}/v1/models`, 'loopback'],
    ['hex loopback', () => `http://0x7f000001:${port()}/v1/models`, 'loopback'],
    ['octal loopback', () => `http://0177.0.0.1:${port()}/v1/models`, 'loopback'],
    ['short-form loopback', () => `http://127.1:${port()}/v1/models`, 'loopback'],
  ])('refuses %s before connecting', async (_label, url, reason) => {
    const result = await outboundGet({ url: url(), headers: { authorization: `Bearer ${KEY}` } }, GUARDED);
    expect(result).toMatchObject({ kind: 'blocked', reason: expect.stringContaining(reason) });
    expect(fake().requests()).toBe(0);
  });

  it('refuses a host name that resolves to a private address, naming both', async () => {
    const resolver = tableResolver({ 'internal.example.com': ['10.1.2.3'] });
    const result = await outboundGet({ url: 'https://internal.example.com/v1/models', headers: {} }, { ...GUARDED, resolver });
    expect(result).toEqual({ kind: 'blocked', host: 'internal.example.com', reason: 'internal.example.com resolves to 10.1.2.3, which is a private network (10.0.0.0/8)' });
  });

  it('refuses a host name when any one of its addresses is private', async () => {
    const resolver = tableResolver({ 'mixed.example.com': ['93.184.216.34', '127.0.0.1'] });
    const result = await outboundGet({ url: `http://mixed.example.com:${port()}/v1/models`, headers: {} }, { ...GUARDED, resolver });
    expect(result).toMatchObject({ kind: 'blocked', reason: expect.stringContaining('127.0.0.1') });
    expect(fake().requests()).toBe(0);
  });

  it.each(['ftp://example.com/models', 'file:///etc/passwd', 'gopher://example.com/', 'ws://example.com/', 'data:text/plain,hi', 'javascript:alert(1)'])(
    'refuses the scheme of %s',
    async (url) => {
      const result = await outboundGet({ url, headers: {} }, { ...GUARDED, allowPrivateEndpoints: true, resolver: tableResolver({}) });
      expect(result).toMatchObject({ kind: 'blocked', reason: expect.stringContaining('only http and https') });
    },
  );

  it('refuses URLs that are not URLs or carry credentials', async () => {
    expect(await outboundGet({ url: 'not a url', headers: {} }, GUARDED)).toMatchObject({ kind: 'blocked', reason: 'the endpoint is not a valid URL' });
    expect(await outboundGet({ url: 'http://user:pass@example.com/', headers: {} }, GUARDED)).toMatchObject({ kind: 'blocked' });
  });

  it('turns a refusal into ENDPOINT_BLOCKED without a retry, a request or the key', async () => {
    const outcome = await verifyKey({ protocol: Protocol.OPENAI, endpoint: `http://127.0.0.1:${port()}/v1`, apiKey: KEY }, GUARDED);
    expect(outcome).toMatchObject({ status: 'failed', retryable: false, requests: 0, failure: { code: KeyErrorCode.ENDPOINT_BLOCKED } });
    expect(outcome.status === 'failed' && outcome.failure.message).toContain('127.0.0.1 is loopback');
    expectNoKeyIn(JSON.stringify(outcome), KEY);
    expect(fake().requests()).toBe(0);
  });

  it('lets private addresses through when allowed (self-hosted models, and these tests)', async () => {
    const outcome = await verifyKey({ protocol: Protocol.OPENAI, endpoint: fake().url, apiKey: KEY }, FAKE_OPTIONS);
    expect(outcome.status).toBe('passed');
    expect(fake().requests('/models')).toBe(1);
  });

  it('connects to the address it checked, once, keeping the host name in the Host header', async () => {
    // A rebinding resolver: the first answer passes the check, any later one would point elsewhere.
    let answers = 0;
    const resolver: HostResolver = async () => (answers++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.9.9.9', family: 4 }]);
    const outcome = await verifyKey(
      { protocol: Protocol.OPENAI, endpoint: `http://provider.test:${port()}/v1`, apiKey: KEY },
      { ...FAKE_OPTIONS, resolver },
    );
    expect(outcome.status).toBe('passed');
    expect(answers).toBe(1);
    expect(fake().log[0].headers.host).toBe(`provider.test:${port()}`);
    expect(fake().log[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('does not follow a redirect to a private address (or anywhere else)', () =>
    withFake(startOpenAiFake({ keys: { [KEY]: 'valid' } }), (target) =>
      withFake(startOpenAiFake({ keys: { [KEY]: 'redirect' }, redirectLocation: `${target.url}/models` }), async (redirecting) => {
        const outcome = await verifyKey({ protocol: Protocol.OPENAI, endpoint: redirecting.url, apiKey: KEY }, FAKE_OPTIONS);
        expect(outcome).toMatchObject({ status: 'failed', retryable: false, failure: { code: KeyErrorCode.INCOMPATIBLE_ENDPOINT, httpStatus: 302 } });
        expect(outcome.status === 'failed' && outcome.failure.message).toContain('set the endpoint to the final URL');
        expect(redirecting.requests()).toBe(1);
        expect(target.requests()).toBe(0);
      }),
    ));

  it('reports DNS failures and refused connections as retryable network errors', async () => {
    const unknown = await verifyKey(
      { protocol: Protocol.OPENAI, endpoint: 'https://no-such-host.test/v1', apiKey: KEY },
      { ...GUARDED, resolver: tableResolver({}) },
    );
    expect(unknown).toMatchObject({ status: 'failed', retryable: true, failure: { code: KeyErrorCode.NETWORK_ERROR, message: expect.stringContaining('ENOTFOUND') } });

    const closedPort = await freePort();
    const refused = await verifyKey({ protocol: Protocol.OPENAI, endpoint: `http://127.0.0.1:${closedPort}/v1`, apiKey: KEY }, FAKE_OPTIONS);
    expect(refused).toMatchObject({ status: 'failed', retryable: true, failure: { code: KeyErrorCode.NETWORK_ERROR, message: expect.stringContaining('ECONNREFUSED') } });
  });

  it('gives up on a resolver that never answers within the connect budget', async () => {
    const never: HostResolver = () => new Promise(() => undefined);
    const result = await outboundGet({ url: 'https://slow-dns.test/', headers: {} }, { ...GUARDED, connectTimeoutMs: 200, resolver: never });
    expect(result).toEqual({ kind: 'timeout', host: 'slow-dns.test', phase: 'connect', afterMs: 200 });
  });
});

describe('the outbound size cap', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // Declares a body bigger than the cap: the guard can stop before reading any of it.
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(8 * 1024 * 1024) });
      response.write('{"data":[');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('aborts an answer whose declared length is over the cap', async () => {
    const result = await outboundGet({ url, headers: {} }, { ...FAKE_OPTIONS, maxResponseBytes: 1024 * 1024 });
    expect(result).toMatchObject({ kind: 'too_large', status: 200, limitBytes: 1024 * 1024 });
  });

  it('aborts a streamed answer once it passes the cap', () =>
    withFake(startOpenAiFake({ keys: { [KEY]: 'huge' }, hugeBytes: 32 * 1024 * 1024 }), async (huge) => {
      const result = await outboundGet({ url: `${huge.url}/models`, headers: { authorization: `Bearer ${KEY}` } }, { ...FAKE_OPTIONS, maxResponseBytes: 256 * 1024 });
      expect(result).toMatchObject({ kind: 'too_large', status: 200, limitBytes: 256 * 1024 });
    }));
});
