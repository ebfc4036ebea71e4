/**
 * Provider error text is shown under a key and stored with test runs, and providers echo keys back
 * (whole, or masked like `sk-abc***xyz`), so every piece of it passes through here first.
 */

export const REDACTED = '[redacted]';

/** Long enough for a provider's one-line reason, short enough to sit under a table row. */
export const MAX_REASON_LENGTH = 200;

/** A run this long that matches part of the secret is treated as the secret leaking. */
const SECRET_SLICE_LENGTH = 8;

const KEY_SHAPED: readonly { readonly pattern: RegExp; readonly replacement: string }[] = [
  // Authorization values and the provider key headers, when a proxy or provider echoes a request.
  { pattern: /\b(Bearer)\s+[A-Za-z0-9._~+/=*-]{8,}/gi, replacement: `$1 ${REDACTED}` },
  {
    pattern: /\b(x-api-key|api-key|x-goog-api-key|authorization)(["']?\s*[:=]\s*["']?)(?!Bearer\s|\[redacted\])[^\s"',;}]+/gi,
    replacement: `$1$2${REDACTED}`,
  },
  { pattern: /([?&](?:key|api_key|apikey|access_token|token)=)[^&\s"'#]+/gi, replacement: `$1${REDACTED}` },
  // Known key prefixes (OpenAI, Anthropic, OpenRouter, Google, xAI, Groq, Stripe-style, our own app
  // tokens), also when partly masked with asterisks or dots (a sentence's full stop is left alone).
  { pattern: /(?<![A-Za-z0-9])(?:sk|xai|gsk|byok|rk|pk)[-_](?:[A-Za-z0-9_*-]|\.(?=[A-Za-z0-9_*.-]))*[A-Za-z0-9_*-]{4}/g, replacement: REDACTED },
  { pattern: /(?<![A-Za-z0-9])AIza[A-Za-z0-9_*-]{10,}/g, replacement: REDACTED },
];

/** Base64, base64url or hex runs this long are opaque tokens, not words. */
const OPAQUE_RUN = /[A-Za-z0-9+/_-]{32,}={0,2}/g;

/**
 * Replaces the secret, any 8+ character slice of it, and anything shaped like a key or token with
 * `[redacted]`. Safe on any text; does not shorten it.
 */
export function scrubSecrets(text: string, secret?: string): string {
  // Shapes first, so a masked echo (`sk-proj-****abcd`) goes whole rather than leaving its stars.
  let scrubbed = text;
  for (const { pattern, replacement } of KEY_SHAPED) scrubbed = scrubbed.replace(pattern, replacement);
  scrubbed = removeSecret(scrubbed, secret);
  return scrubbed.replace(OPAQUE_RUN, (run) => (looksOpaque(run) ? REDACTED : run));
}

/**
 * Turns a provider's error text into a short reason fit to show: HTML removed, whitespace collapsed,
 * secrets scrubbed, then cut to `maxLength`. Returns '' when nothing readable is left.
 */
export function shortReason(text: string, secret?: string, maxLength = MAX_REASON_LENGTH): string {
  // Scrub before cutting, so a key split by the cut cannot survive as two harmless-looking halves.
  const readable = scrubSecrets(collapseWhitespace(stripHtml(text)), secret);
  return readable.length <= maxLength ? readable : `${readable.slice(0, maxLength - 1).trimEnd()}…`;
}

function removeSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  if (secret.length < SECRET_SLICE_LENGTH) return text.split(secret).join(REDACTED);
  const slices = new Set<string>();
  for (let start = 0; start + SECRET_SLICE_LENGTH <= secret.length; start += 1) {
    slices.add(secret.slice(start, start + SECRET_SLICE_LENGTH));
  }
  let out = '';
  let index = 0;
  while (index < text.length) {
    if (!slices.has(text.slice(index, index + SECRET_SLICE_LENGTH))) {
      out += text[index];
      index += 1;
      continue;
    }
    // Extend while every 8-character window still belongs to the secret, so the whole echo goes.
    let end = index + SECRET_SLICE_LENGTH;
    while (end < text.length && slices.has(text.slice(end - SECRET_SLICE_LENGTH + 1, end + 1))) end += 1;
    out += REDACTED;
    index = end;
  }
  return out;
}

function looksOpaque(run: string): boolean {
  if (/^[0-9a-fA-F]+$/.test(run)) return true;
  // Paths and slugs (`accounts/fireworks/models/llama-v3p1-405b-instruct`) are long too, but a random
  // token mixes digits with both cases; a readable identifier almost never does.
  return /[0-9]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run);
}

function stripHtml(text: string): string {
  if (!/<[a-z!/][^>]*>/i.test(text)) return text;
  return decodeEntities(
    text
      .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<[^>]*>/g, ' '),
  );
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16) || 32);
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)) || 32);
    return named[name.toLowerCase()] ?? entity;
  });
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
