import type { OutboundOptions } from '../../src/providers/outbound-http';

/** Every 8-character slice of a key: none of them may appear anywhere we show or store. */
export function keySlices(key: string): string[] {
  const slices: string[] = [];
  for (let start = 0; start + 8 <= key.length; start += 1) slices.push(key.slice(start, start + 8));
  return slices;
}

export function expectNoKeyIn(text: string, key: string): void {
  const leaked = keySlices(key).filter((slice) => text.includes(slice));
  expect(leaked).toEqual([]);
}

/** Fakes listen on 127.0.0.1, so tests allow private endpoints; the guard's own tests turn it off. */
export const FAKE_OPTIONS: OutboundOptions = { allowPrivateEndpoints: true, timeoutMs: 5_000, maxResponseBytes: 1024 * 1024 };

/** Short enough that a hanging fake does not slow the suite. */
export const HANG_TIMEOUT_MS = 300;
