import { Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Roles } from '../auth/access.decorators';
import { Role } from '../auth/role';
import type { GraphQLContext } from '../context';
import { KeyHealth, KeyTestStatus } from '../keys/key-status';
import { ProviderKey } from '../keys/provider-key.entity';
import { ModelView } from '../models/model.types';
import { Provider } from '../providers/provider.entity';
import { ModelSelectionView } from '../selections/model-selection.types';
import { Topic } from './event-bus';
import type { KeyStatusEvent } from './workspace-events';

/** The subscriber's workspace comes from the token in connection_init, never from an argument. */
const ownWorkspace = ({ context }: SubscribeResolverData<unknown, unknown, GraphQLContext>): string => {
  if (!context.viewer) throw new Error('subscriptions are only reached with a viewer (@Roles)');
  return context.viewer.workspaceId;
};

/** Events travel as JSON: a model's provider comes back as a Provider (its builtIn is a getter). */
function reviveModel(model: ModelView): ModelView {
  return { ...model, provider: Object.assign(new Provider(), model.provider, { createdAt: new Date(model.provider.createdAt) }) };
}

/** Rebuilds the key from its event, so its field resolvers (provider, unlockedModels) run as for a query. */
function keyFromEvent(event: KeyStatusEvent): ProviderKey {
  const key = new ProviderKey();
  const date = (value: string | null) => (value ? new Date(value) : null);
  Object.assign(key, {
    id: event.id,
    workspaceId: event.workspaceId,
    providerId: event.providerId,
    label: event.label,
    endpoint: event.endpoint,
    maskedKey: event.maskedKey,
    secretVersion: event.secretVersion,
    testStatus: event.testStatus as KeyTestStatus,
    health: event.health as KeyHealth,
    lastError: event.lastError ? { ...(event.lastError as object), at: new Date((event.lastError as { at: string }).at) } : null,
    lastTestedAt: date(event.lastTestedAt),
    createdAt: new Date(event.createdAt),
    rotatedAt: date(event.rotatedAt),
    wasDeleted: event.deleted,
  });
  return key;
}

/**
 * Live status for dashboards over graphql-ws. Pub/sub is at-most-once: a client that (re)connects
 * re-queries providerKeys, availableModels and modelSelections; every event carries current state.
 */
@Resolver()
export class SubscriptionResolver {
  @Roles(Role.ADMIN, Role.MEMBER)
  @Subscription(() => ProviderKey, {
    topics: Topic.KEY_STATUS_CHANGED,
    topicId: ownWorkspace,
    description: "Any change of testStatus, health or lastError of a key in the viewer's workspace (and its creation, rotation, deletion).",
  })
  keyStatusChanged(@Root() event: KeyStatusEvent): ProviderKey {
    return keyFromEvent(event);
  }

  @Roles(Role.ADMIN, Role.MEMBER, Role.SERVICE)
  @Subscription(() => [ModelView], {
    topics: Topic.MODEL_AVAILABILITY_CHANGED,
    topicId: ownWorkspace,
    description: "The workspace's available models, after each change that can lock or unlock one.",
  })
  modelAvailabilityChanged(@Root() models: ModelView[]): ModelView[] {
    return models.map(reviveModel);
  }

  @Roles(Role.ADMIN, Role.MEMBER, Role.SERVICE)
  @Subscription(() => ModelSelectionView, { topics: Topic.MODEL_SELECTION_CHANGED, topicId: ownWorkspace })
  modelSelectionChanged(@Root() selection: ModelSelectionView): ModelSelectionView {
    return {
      ...selection,
      model: reviveModel(selection.model),
      fallbacks: selection.fallbacks.map(reviveModel),
      effectiveModel: selection.effectiveModel ? reviveModel(selection.effectiveModel) : null,
    };
  }
}
