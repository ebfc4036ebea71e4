import { badInput } from '../errors';

export const API_KEY_MAX_LENGTH = 1024;
export const LABEL_MAX_LENGTH = 100;

/**
 * The secret as it will be sent in a header. Surrounding spaces are copy-paste noise and are
 * dropped; anything that could not be a header value is refused with a reason (never with the key).
 */
export function normalizeApiKey(raw: string): string {
  const value = raw.trim();
  if (!value) throw badInput('The API key is empty. Paste the whole key from the provider\'s console.', 'apiKey');
  if (/[\r\n]/.test(value)) throw badInput('The API key contains a line break. Paste it as a single line.', 'apiKey');
  if (value.length > API_KEY_MAX_LENGTH) {
    throw badInput(`The API key is ${value.length} characters long; keys are at most ${API_KEY_MAX_LENGTH}. Check what was pasted.`, 'apiKey');
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw badInput('The API key contains spaces, control or non-ASCII characters, which no provider key has.', 'apiKey');
  }
  return value;
}

/** A label is optional; blank means none. */
export function normalizeLabel(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const value = raw.trim();
  if (!value) return null;
  if (value.length > LABEL_MAX_LENGTH) throw badInput(`The label may have at most ${LABEL_MAX_LENGTH} characters.`, 'label');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\x00-\x1f\x7f]/.test(value)) throw badInput('The label may not contain control characters.', 'label');
  return value;
}
