import { incompatible } from '../classify';
import type { StopVerdict } from '../verify-outcome';

/** 20 pages of up to 1000 models is far past any real provider; more means the cursor loops. */
export const MAX_PAGES = 20;

export type Page<T> = { readonly kind: 'page'; readonly items: readonly T[]; readonly next?: string } | StopVerdict;

/**
 * Follows a cursor until the provider says there is no more, stopping at the first failure. A
 * cursor that repeats, or a listing longer than MAX_PAGES, fails the test rather than looping.
 */
export async function collectPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, expected: string): Promise<{ kind: 'ok'; items: T[] } | StopVerdict> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await fetchPage(cursor);
    if (answer.kind !== 'page') return answer;
    items.push(...answer.items);
    if (answer.next === undefined) return { kind: 'ok', items };
    if (seen.has(answer.next)) return incompatible('The model listing repeated a page cursor', expected, 200);
    seen.add(answer.next);
    cursor = answer.next;
  }
  return incompatible(`The model listing did not end after ${MAX_PAGES} pages`, expected, 200);
}
