import { MAX_REASON_LENGTH, scrubSecrets, shortReason } from '../../../src/providers/scrub';

const SECRET = 'sk-proj-Zq8LmN3vB7xK2pR9tY6wQ4eH1jU5aS0d';

/** True when no 8-character slice of `secret` survives in `text`. */
function holdsNoSlice(text: string, secret: string): boolean {
  for (let start = 0; start + 8 <= secret.length; start += 1) if (text.includes(secret.slice(start, start + 8))) return false;
  return true;
}

describe('scrubSecrets', () => {
  it('removes the secret itself', () => {
    const out = scrubSecrets(`Incorrect API key provided: ${SECRET}.`, SECRET);
    expect(out).toBe('Incorrect API key provided: [redacted].');
  });

  it('removes any 8+ character slice of the secret, even without a known prefix', () => {
    const secret = 'Zq8LmN3vB7xK2pR9tY6wQ4eH1jU5aS0d';
    const out = scrubSecrets(`key ending ...B7xK2pR9tY6w... was rejected; tail ${secret.slice(-8)}`, secret);
    expect(holdsNoSlice(out, secret)).toBe(true);
    expect(out).toContain('was rejected');
  });

  it('removes short secrets whole', () => {
    expect(scrubSecrets('key abc123 is bad', 'abc123')).toBe('key [redacted] is bad');
  });

  it.each([
    ['an OpenAI key', 'sk-abcdefghijklmnopqrstuvwxyz012345'],
    ['an OpenAI project key', 'sk-proj-abc_DEF-123456789'],
    ['an Anthropic key', 'sk-ant-api03-abcDEF123_xyz-987'],
    ['an OpenRouter key', 'sk-or-v1-0123456789abcdef0123'],
    ['a Google key', 'AIzaSyA-1234567890abcdefghijklmnopqrs'],
    ['an xAI key', 'xai-AbCdEf0123456789'],
    ['a Groq key', 'gsk_AbCdEf0123456789'],
    ['one of our app tokens', 'byok_AbCdEf0123456789XyZ'],
    ['an OpenAI masked echo', 'sk-abc***********xyz'],
    ['an xAI masked echo', 'xai-ab****************cd'],
    ['a masked echo with dots', 'sk-or-v1-abc...wxyz'],
    ['a long hex run', 'deadbeef'.repeat(5)],
    ['a long base64 run', 'QWxhZGRpbjpvcGVuIHNlc2FtZQ9xYzB1bHR5Tk9QUVJTVFVW=='],
  ])('removes %s', (_label, token) => {
    const out = scrubSecrets(`Provider said ${token} here`);
    expect(out).toBe('Provider said [redacted] here');
  });

  it('leaves the full stop after a key', () => {
    expect(scrubSecrets('Incorrect API key provided: sk-abc***wxyz. You can find it online.')).toBe('Incorrect API key provided: [redacted]. You can find it online.');
  });

  it('removes Bearer tokens and key headers but keeps their names', () => {
    expect(scrubSecrets('sent Authorization: Bearer abcdefgh12345678')).toBe('sent Authorization: Bearer [redacted]');
    expect(scrubSecrets('x-api-key: foo12345 rejected')).toBe('x-api-key: [redacted] rejected');
    expect(scrubSecrets('{"x-goog-api-key":"whatever-value"}')).toBe('{"x-goog-api-key":"[redacted]"}');
    expect(scrubSecrets('GET /v1beta/models?key=whatever&pageSize=10')).toBe('GET /v1beta/models?key=[redacted]&pageSize=10');
  });

  it('leaves ordinary provider sentences and model ids alone', () => {
    const text =
      'You exceeded your current quota, please check your plan and billing details. Model accounts/fireworks/models/llama-v3p1-405b-instruct is the bearer of news; task-force risk-based.';
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe('shortReason', () => {
  it('strips HTML, decodes entities and collapses whitespace', () => {
    const html = '<html><head><title>x</title><style>p{}</style></head><body>\n<h1>Bad&nbsp;Gateway</h1>\n\n<p>Try &quot;again&quot;</p></body></html>';
    expect(shortReason(html)).toBe('Bad Gateway Try "again"');
  });

  it(`cuts to ${MAX_REASON_LENGTH} characters after scrubbing`, () => {
    const long = `${'word '.repeat(100)}${SECRET}`;
    const out = shortReason(long, SECRET);
    expect(out.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(out.endsWith('…')).toBe(true);
    expect(holdsNoSlice(out, SECRET)).toBe(true);
  });

  it('does not let a cut leave part of a key behind', () => {
    const text = `${'a '.repeat(95)}${SECRET}`;
    expect(holdsNoSlice(shortReason(text, SECRET), SECRET)).toBe(true);
    expect(shortReason(text)).not.toContain('sk-proj');
  });

  it('removes both halves of a key split by a tag', () => {
    expect(holdsNoSlice(shortReason(`<b>${SECRET.slice(0, 12)}</b>${SECRET.slice(12)}`, SECRET), SECRET)).toBe(true);
  });

  it('answers empty for empty or tag-only text', () => {
    expect(shortReason('   \n ')).toBe('');
    expect(shortReason('<html><body></body></html>')).toBe('');
  });
});
