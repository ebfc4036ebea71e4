import { maskSecret } from '../../src/secrets/mask';

/** Realistic shapes (random bodies) of every built-in provider's keys. */
const SHAPES: [string, string, string][] = [
  ['OpenAI project key', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z7Ab0cD3eF6gH9iJ2kL5mN8oP1qR4sT7uV0wX3yZ6a1B2', 'sk-proj-…a1B2'],
  ['OpenAI legacy key', 'sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z7Ab0cD3eF6gH9a1B2', 'sk-…a1B2'],
  ['Anthropic key', 'sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z7Ab0cD3eF6gH9iJ2kL5mN8oP1qR4sT7uV0wX3yZ6-Q9w8AA', 'sk-ant-…w8AA'],
  ['Google API key', 'AIzaSyAb3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', 'AIza…Xy4z'],
  ['xAI key', 'xai-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z7Ab0cD3eF6gH9iJ2kL5mN8oP1qR4sT7uV0wX3yZ6', 'xai-…3yZ6'],
  ['DeepSeek key', 'sk-0123456789abcdef0123456789abcdef', 'sk-…cdef'],
  ['Mistral key', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', '…Xy4z'],
  ['OpenRouter key', 'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'sk-or-…cdef'],
  ['Groq key', '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', 'gsk_…kL5m'],
  ['Together key', '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', '…cdef'],
  ['Azure OpenAI key', '0123456789abcdef0123456789abcdef', '…cdef'],
];

describe('maskSecret', () => {
  it.each(SHAPES)('masks a %s as a prefix and the last 4', (_name, key, expected) => {
    expect(maskSecret(key)).toBe(expected);
  });

  it.each([
    ['a', '…'],
    ['abcdefghijk', '…'],
    ['abcdefghijkl', '…kl'],
    ['sk-abcdefghijklmno', '…no'],
    ['abcdefghijklmnopqrst', '…qrst'],
  ])('shows less of short keys: %s → %s', (key, expected) => {
    expect(maskSecret(key)).toBe(expected);
  });

  it('never shows more than a fifth of a key beyond its public prefix, and never more than 32 characters', () => {
    for (let length = 1; length <= 300; length += 1) {
      const key = `sk-ant-${'x'.repeat(Math.max(0, length - 7))}`.slice(0, length);
      const mask = maskSecret(key);
      const shownSecret = mask.length - 1 - (mask.indexOf('…'));
      expect(shownSecret).toBeLessThanOrEqual(Math.max(0, Math.floor(length / 5)));
      expect(mask.length).toBeLessThanOrEqual(32);
    }
  });
});
