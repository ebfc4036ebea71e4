import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Roles } from '../auth/access.decorators';
import { Role } from '../auth/role';
import { type GraphQLContext, viewerOf } from '../context';
import { ModelView } from '../models/model.types';
import { Provider } from './provider.entity';
import { CreateCustomProviderInput } from './provider.inputs';
import type { ProviderService } from './provider.service';

@Resolver(() => Provider)
export class ProviderResolver {
  constructor(private readonly service: ProviderService) {}

  @Roles(Role.ADMIN, Role.MEMBER, Role.SERVICE)
  @Query(() => [Provider], { description: "Built-in providers plus this workspace's custom ones." })
  providers(@Ctx() context: GraphQLContext): Promise<Provider[]> {
    return this.service.listForWorkspace(viewerOf(context).workspaceId);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Provider)
  createCustomProvider(@Arg('input', () => CreateCustomProviderInput) input: CreateCustomProviderInput, @Ctx() context: GraphQLContext): Promise<Provider> {
    return this.service.createCustom(viewerOf(context), input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Boolean, { description: 'Refused with KEY_IN_USE while keys use the provider.' })
  deleteCustomProvider(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return this.service.deleteCustom(viewerOf(context), id);
  }

  @FieldResolver(() => [ModelView], { description: "This provider's models as the viewer's workspace sees them." })
  models(@Root() provider: Provider, @Ctx() context: GraphQLContext): Promise<ModelView[]> {
    return context.loaders.providerModels.load(provider.id);
  }
}
