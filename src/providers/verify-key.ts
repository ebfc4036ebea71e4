import { KeyErrorCode } from '../keys/key-error-code';
import { anthropicAdapter } from './adapters/anthropic.adapter';
import { azureOpenAiAdapter } from './adapters/azure-openai.adapter';
import { googleAdapter } from './adapters/google.adapter';
import { ollamaAdapter } from './adapters/ollama.adapter';
import { openAiAdapter } from './adapters/openai.adapter';
import { openRouterAdapter } from './adapters/openrouter.adapter';
import type { AdapterResult, ProtocolAdapter } from './adapters/protocol-adapter';
import { uniqueModels } from './adapters/protocol-adapter';
import type { OutboundOptions } from './outbound-http';
import { Protocol } from './protocol';
import { ProviderCaller } from './provider-caller';
import type { VerifyKeyRequest, VerifyOutcome } from './verify-outcome';

export type { DiscoveredModel, KeyFailure, VerifyKeyRequest, VerifyOutcome } from './verify-outcome';
export type { OutboundOptions } from './outbound-http';

const ADAPTERS: Readonly<Record<Protocol, ProtocolAdapter>> = {
  [Protocol.OPENAI]: openAiAdapter,
  [Protocol.ANTHROPIC]: anthropicAdapter,
  [Protocol.GOOGLE]: googleAdapter,
  [Protocol.OPENROUTER]: openRouterAdapter,
  [Protocol.AZURE_OPENAI]: azureOpenAiAdapter,
  [Protocol.OLLAMA]: ollamaAdapter,
};

/** Header values cannot hold these, and a key never does: a paste picked up something extra. */
const KEY_CHARACTERS = /^[\x21-\x7e]+$/;

/**
 * Tests one key against its provider with a call that needs the key and costs nothing, and lists the
 * models it unlocks. Provider and network problems come back as an outcome, never as a throw; the
 * key never appears in a URL, a message or the outcome.
 */
export async function verifyKey(request: VerifyKeyRequest, options: OutboundOptions): Promise<VerifyOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const adapter = ADAPTERS[request.protocol] as ProtocolAdapter | undefined;
  if (!adapter) {
    const message = `This service cannot test keys for the protocol "${String(request.protocol)}".`;
    return { status: 'failed', failure: { code: KeyErrorCode.INCOMPATIBLE_ENDPOINT, message }, retryable: false, latencyMs: elapsed(), requests: 0 };
  }
  const keyProblem = describeKeyProblem(request.apiKey, adapter.keyRequired);
  if (keyProblem) {
    return { status: 'failed', failure: { code: KeyErrorCode.INVALID_KEY, message: keyProblem }, retryable: false, latencyMs: elapsed(), requests: 0 };
  }

  const caller = new ProviderCaller(request, options, adapter.authHeaders(request.apiKey));
  const result: AdapterResult = await adapter.verify(caller);
  const measured = { latencyMs: elapsed(), requests: caller.requests };
  switch (result.kind) {
    case 'ok':
      return { status: 'passed', models: uniqueModels(result.models), ...measured };
    case 'rate_limited':
      return { status: 'rate_limited', failure: result.failure, ...measured };
    case 'failed':
      return { status: 'failed', failure: result.failure, retryable: result.retryable, ...measured };
  }
}

function describeKeyProblem(apiKey: string, required: boolean): string | undefined {
  if (apiKey === '') return required ? 'No key was given. Paste the key from the provider, then test again.' : undefined;
  if (!KEY_CHARACTERS.test(apiKey)) {
    return 'The key contains spaces, line breaks or other characters a key cannot hold. Paste it again, without anything around it.';
  }
  return undefined;
}
