import { badInput } from '../errors';

export const ENDPOINT_MAX_LENGTH = 2048;

/**
 * Checks the shape of an endpoint a person typed and returns it normalized (no trailing slash).
 * Where it may point is the outbound guard's job, at call time, after DNS resolution.
 */
export function normalizeEndpoint(raw: string, field = 'endpoint'): string {
  const value = raw.trim();
  if (!value) throw badInput('The endpoint is empty. Give an absolute http(s) URL such as https://api.example.com/v1.', field);
  if (value.length > ENDPOINT_MAX_LENGTH) throw badInput(`The endpoint may have at most ${ENDPOINT_MAX_LENGTH} characters.`, field);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput('The endpoint is not an absolute URL. Give one such as https://api.example.com/v1.', field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badInput(`The endpoint must use http or https, not "${url.protocol.replace(':', '')}".`, field);
  }
  if (url.username || url.password) {
    throw badInput('The endpoint must not contain a user name or password; the key is sent in a header.', field);
  }
  if (url.hash || value.includes('#')) throw badInput('The endpoint must not contain a fragment (#…).', field);
  if (url.search || value.includes('?')) throw badInput('The endpoint must not contain a query string (?…); paths are added to it.', field);
  return url.toString().replace(/\/+$/, '');
}
