import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Roles } from '../auth/access.decorators';
import { Role } from '../auth/role';
import { type GraphQLContext, viewerOf } from '../context';
import { Capability } from './capability';
import type { ModelService } from './model.service';
import { ModelView } from './model.types';

@Resolver(() => ModelView)
export class ModelResolver {
  constructor(private readonly service: ModelService) {}

  @Roles(Role.ADMIN, Role.MEMBER, Role.SERVICE)
  @Query(() => [ModelView], { description: 'Models with a capability; locked ones (with lockedReason) only when includeLocked.' })
  models(
    @Ctx() context: GraphQLContext,
    @Arg('capability', () => Capability, { nullable: true }) capability?: Capability | null,
    @Arg('includeLocked', () => Boolean, { defaultValue: false, nullable: true }) includeLocked: boolean | null = false,
  ): Promise<ModelView[]> {
    return this.service.list(viewerOf(context).workspaceId, capability, includeLocked ?? false);
  }

  @Roles(Role.ADMIN, Role.MEMBER, Role.SERVICE)
  @Query(() => [ModelView], { description: 'The honest picker: only models a tested, healthy key of this workspace unlocks.' })
  availableModels(
    @Ctx() context: GraphQLContext,
    @Arg('capability', () => Capability, { nullable: true }) capability?: Capability | null,
  ): Promise<ModelView[]> {
    return this.service.available(viewerOf(context).workspaceId, capability);
  }
}
