/**
 * The same model reaches us spelled many ways: `GPT-4o`, `models/gemini-2.5-pro` (Gemini),
 * `openai/gpt-4o-mini:free` (OpenRouter), `llama3.2:3b` (Ollama), `claude-3-5-sonnet-20241022`.
 * These helpers reduce a listed id to forms the catalog and the patterns can match.
 */

/**
 * Lower case, without Gemini's `models/` prefix, OpenAI's `ft:` fine-tune prefix (a fine-tune can
 * do what its base model can) and the `:tag` (OpenRouter `:free`, Ollama `:latest`, a fine-tune's
 * organisation and suffix), which names a variant, not a different model.
 */
export function normalizeModelId(modelId: string): string {
  return splitTag(modelId).id;
}

/** The `:tag` part, if any (`free` for `openai/gpt-4o-mini:free`), so a display name can show it. */
export function modelIdTag(modelId: string): string | undefined {
  return splitTag(modelId).tag;
}

/**
 * The part after the last slash of a normalized id: `vendor/model` ids (OpenRouter, Together,
 * Groq) name a company before the slash, and family patterns only care about the model.
 */
export function bareModelId(modelId: string): string {
  const normalized = normalizeModelId(modelId);
  return normalized.slice(normalized.lastIndexOf('/') + 1);
}

/**
 * Release suffixes a provider appends to a catalog id: dates (`-20241022`, `-2024-08-06`,
 * `-05-20`), build numbers (`-001`, `-2411`, `-0613`) and channels (`-latest`, `-preview`, `-exp`).
 */
const VERSION_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{2}-\d{2}|\d{3,4}|latest|preview|exp)$/;

/**
 * The normalized id, then the id with one more release suffix removed at each step, each paired
 * with what was removed (`gpt-4o-2024-08-06` → `gpt-4o` with `2024-08-06`), so a lookup can try
 * the exact id first and fall back to the model it is a release of.
 */
export function versionCandidates(modelId: string): { id: string; removed: string }[] {
  const candidates = [{ id: normalizeModelId(modelId), removed: '' }];
  for (;;) {
    const { id, removed } = candidates[candidates.length - 1];
    const suffix = VERSION_SUFFIX.exec(id);
    if (!suffix) return candidates;
    const part = suffix[0].slice(1);
    candidates.push({ id: id.slice(0, suffix.index), removed: removed ? `${part}-${removed}` : part });
  }
}

function splitTag(modelId: string): { id: string; tag?: string } {
  const id = modelId.trim().toLowerCase().replace(/^ft:/, '').replace(/^models\//, '');
  const colon = id.indexOf(':');
  if (colon <= 0) return { id };
  return { id: id.slice(0, colon), tag: id.slice(colon + 1) || undefined };
}
