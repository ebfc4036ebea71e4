import { Capability } from '../../models/capability';
import { incompatible } from '../classify';
import type { ProviderCaller } from '../provider-caller';
import { field } from '../provider-signals';
import type { DiscoveredModel, StopVerdict } from '../verify-outcome';

/** One wire protocol's way of proving a key and listing what it unlocks. */
export interface ProtocolAdapter {
  /** False only where a key is optional (a local Ollama). */
  readonly keyRequired: boolean;
  /** Exactly the header(s) the real provider reads the key from; never the URL. */
  authHeaders(apiKey: string): Record<string, string>;
  verify(caller: ProviderCaller): Promise<AdapterResult>;
}

export type AdapterResult = { readonly kind: 'ok'; readonly models: readonly DiscoveredModel[] } | StopVerdict;

export const TEXT_GENERATION: readonly Capability[] = [Capability.WRITING, Capability.REPLIES];
export const TOOL_CALLING: readonly Capability[] = [Capability.AGENTS, Capability.TOOLS];

const CAPABILITY_ORDER = Object.values(Capability);

/** A stable, duplicate-free list in the enum's order, so equal claims compare equal. */
export function capabilityList(claims: Iterable<Capability>): Capability[] {
  const present = new Set(claims);
  return CAPABILITY_ORDER.filter((capability) => present.has(capability));
}

export function stringField(value: unknown, name: string): string | undefined {
  const found = field(value, name);
  return typeof found === 'string' && found.trim() !== '' ? found : undefined;
}

/**
 * Checks that a page's model list is an array whose entries carry ids, so a JSON answer of some
 * other shape fails the test instead of passing it with no models.
 */
export function modelEntries(list: unknown, idField: string, listName: string, expected: string): unknown[] | StopVerdict {
  if (!Array.isArray(list)) return incompatible(`The answer has no "${listName}" list`, expected, 200);
  if (list.length > 0 && !list.some((entry) => stringField(entry, idField) !== undefined)) {
    return incompatible(`The "${listName}" entries have no "${idField}"`, expected, 200);
  }
  return list;
}

/** Later duplicates are dropped: a provider repeating an id across pages lists one model. */
export function uniqueModels(models: readonly DiscoveredModel[]): DiscoveredModel[] {
  const byId = new Map<string, DiscoveredModel>();
  for (const model of models) if (!byId.has(model.modelId)) byId.set(model.modelId, model);
  return [...byId.values()];
}

/** Builds a DiscoveredModel without undefined keys, so outcomes compare and serialise cleanly. */
export function discoveredModel(modelId: string, displayName: string | undefined, reportedCapabilities: Capability[] | undefined): DiscoveredModel {
  return {
    modelId,
    ...(displayName !== undefined ? { displayName } : {}),
    ...(reportedCapabilities !== undefined ? { reportedCapabilities } : {}),
  };
}
