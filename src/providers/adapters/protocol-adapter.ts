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

export interface ModelListShape {
  /** The list's field name, for messages (`data`, `models`). */
  readonly listName: string;
  readonly expected: string;
  /** The provider's model id for an entry (default: its `id`); undefined skips the entry. */
  readonly idOf?: (entry: unknown) => string | undefined;
  readonly displayNameOf?: (entry: unknown) => string | undefined;
  readonly capabilitiesOf?: (entry: unknown) => Capability[] | undefined;
  /** False drops an entry the provider lists but no longer serves. */
  readonly include?: (entry: unknown) => boolean;
}

/**
 * Reads a page's model list. It must be an array whose entries carry ids, so a JSON answer of some
 * other shape fails the test instead of passing it with no models.
 */
export function readModels(list: unknown, shape: ModelListShape): DiscoveredModel[] | StopVerdict {
  const idOf = shape.idOf ?? ((entry: unknown) => stringField(entry, 'id'));
  if (!Array.isArray(list)) return incompatible(`The answer has no "${shape.listName}" list`, shape.expected, 200);
  if (list.length > 0 && !list.some((entry) => idOf(entry) !== undefined)) {
    return incompatible(`The "${shape.listName}" entries have no model ids`, shape.expected, 200);
  }
  return list.flatMap((entry) => {
    const modelId = idOf(entry);
    if (modelId === undefined || shape.include?.(entry) === false) return [];
    const displayName = shape.displayNameOf?.(entry);
    const reportedCapabilities = shape.capabilitiesOf?.(entry);
    // No undefined keys, so outcomes compare and serialise cleanly.
    return [{ modelId, ...(displayName !== undefined ? { displayName } : {}), ...(reportedCapabilities !== undefined ? { reportedCapabilities } : {}) }];
  });
}

/** Later duplicates are dropped: a provider repeating an id across pages lists one model. */
export function uniqueModels(models: readonly DiscoveredModel[]): DiscoveredModel[] {
  const byId = new Map<string, DiscoveredModel>();
  for (const model of models) if (!byId.has(model.modelId)) byId.set(model.modelId, model);
  return [...byId.values()];
}
