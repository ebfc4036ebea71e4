/**
 * The only form of a key that is ever shown: a recognizable prefix (when the key has one and is
 * long enough to spare it) and the last few characters. Computed once, when the key is saved.
 *
 * How much shows depends on length, so a short key never reveals most of itself:
 * 20+ characters: prefix and last 4; 12 to 19: last 2; shorter: nothing but the ellipsis.
 */
const KNOWN_PREFIXES = ['sk-ant-', 'sk-proj-', 'sk-or-', 'sk-', 'xai-', 'AIza', 'gsk_', 'pplx-', 'r8_', 'hf_'];

const ELLIPSIS = '…';

export function maskSecret(secret: string): string {
  const length = secret.length;
  const tail = length >= 20 ? 4 : length >= 12 ? 2 : 0;
  const prefix = length >= 20 ? (KNOWN_PREFIXES.find((p) => secret.startsWith(p)) ?? '') : '';
  return `${prefix}${ELLIPSIS}${tail ? secret.slice(-tail) : ''}`;
}
