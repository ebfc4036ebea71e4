import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Roles } from '../auth/access.decorators';
import { Role } from '../auth/role';
import { type GraphQLContext, viewerOf } from '../context';
import { ModelView } from '../models/model.types';
import { Provider } from '../providers/provider.entity';
import { AddProviderKeyInput } from './provider-key.inputs';
import { ProviderKey } from './provider-key.entity';
import type { ProviderKeyService } from './provider-key.service';

@Resolver(() => ProviderKey)
export class ProviderKeyResolver {
  constructor(private readonly service: ProviderKeyService) {}

  @Roles(Role.ADMIN, Role.MEMBER)
  @Query(() => [ProviderKey], { description: 'The settings table: one row per key.' })
  providerKeys(@Ctx() context: GraphQLContext): Promise<ProviderKey[]> {
    return this.service.list(viewerOf(context).workspaceId);
  }

  @Roles(Role.ADMIN, Role.MEMBER)
  @Query(() => ProviderKey, { nullable: true })
  providerKey(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<ProviderKey | null> {
    return this.service.find(viewerOf(context).workspaceId, id);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ProviderKey, { description: 'Stores the key encrypted and starts a CREATED test.' })
  addProviderKey(@Arg('input', () => AddProviderKeyInput) input: AddProviderKeyInput, @Ctx() context: GraphQLContext): Promise<ProviderKey> {
    return this.service.add(viewerOf(context), input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ProviderKey, { description: 'Re-enter the key: new secretVersion, back to UNTESTED, a ROTATED test starts.' })
  rotateProviderKey(@Arg('id', () => ID) id: string, @Arg('apiKey', () => String) apiKey: string, @Ctx() context: GraphQLContext): Promise<ProviderKey> {
    return this.service.rotate(viewerOf(context), id, apiKey);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ProviderKey, { description: 'Changing the endpoint requires apiKey in the same call.' })
  updateProviderKey(
    @Arg('id', () => ID) id: string,
    @Arg('label', () => String, { nullable: true }) label: string | null | undefined,
    @Arg('endpoint', () => String, { nullable: true }) endpoint: string | null | undefined,
    @Arg('apiKey', () => String, { nullable: true }) apiKey: string | null | undefined,
    @Ctx() context: GraphQLContext,
  ): Promise<ProviderKey> {
    return this.service.update(viewerOf(context), id, { label, endpoint, apiKey });
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Boolean, { description: 'Destroys the secret; the audit trail keeps the mask.' })
  deleteProviderKey(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return this.service.delete(viewerOf(context), id);
  }

  @FieldResolver(() => Provider)
  async provider(@Root() key: ProviderKey, @Ctx() context: GraphQLContext): Promise<Provider> {
    const provider = await context.loaders.provider.load(key.providerId);
    if (!provider) throw new Error(`provider ${key.providerId} of key ${key.id} is missing`);
    return provider;
  }

  @FieldResolver(() => [ModelView], { description: 'What this key unlocks now: its listing, while it is PASSED and not UNHEALTHY.' })
  unlockedModels(@Root() key: ProviderKey, @Ctx() context: GraphQLContext): Promise<ModelView[]> {
    return context.loaders.unlockedModels.load(key.id);
  }
}
