/**
 * Every 8-character slice of a secret that is not part of its public mask. A text that contains
 * none of them cannot hold the secret, or any meaningful piece of it.
 */
export function secretSlices(secret: string, mask = ''): string[] {
  const visible = mask.split('…');
  const slices = new Set<string>();
  for (let i = 0; i + 8 <= secret.length; i += 1) {
    const slice = secret.slice(i, i + 8);
    if (!visible.some((part) => part.includes(slice))) slices.add(slice);
  }
  return [...slices];
}

/** The slices of `secret` that appear in `text` (an empty list means no leak). */
export function leakedSlices(text: string, secret: string, mask = ''): string[] {
  return secretSlices(secret, mask).filter((slice) => text.includes(slice));
}
