import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { type GraphQLContext, viewerOf } from '../context';
import { Roles } from './access.decorators';
import { AppKey } from './app-key.entity';
import type { AppKeyService } from './app-key.service';
import { Role } from './role';

@ObjectType({ description: 'The only time a token is shown. Store it now; it cannot be read back.' })
export class CreatedAppKey {
  @Field(() => AppKey)
  appKey: AppKey;

  @Field()
  token: string;
}

@Resolver(() => AppKey)
export class AppKeyResolver {
  constructor(private readonly service: AppKeyService) {}

  @Roles(Role.ADMIN)
  @Query(() => [AppKey], { description: 'Every app key of the workspace, newest first, revoked ones included.' })
  appKeys(@Ctx() context: GraphQLContext): Promise<AppKey[]> {
    return this.service.list(viewerOf(context).workspaceId);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => CreatedAppKey)
  createAppKey(
    @Arg('name', () => String) name: string,
    @Arg('role', () => Role) role: Role,
    @Ctx() context: GraphQLContext,
  ): Promise<CreatedAppKey> {
    const viewer = viewerOf(context);
    return this.service.create({ workspaceId: viewer.workspaceId, name, role, actor: viewer.actor });
  }

  @Roles(Role.ADMIN)
  @Mutation(() => AppKey, { description: 'Stops the token at once, on HTTP and on open subscriptions.' })
  revokeAppKey(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<AppKey> {
    const viewer = viewerOf(context);
    return this.service.revoke(viewer.workspaceId, id, viewer.actor);
  }
}
