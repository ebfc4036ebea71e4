import { Ctx, Query, Resolver } from 'type-graphql';
import { type GraphQLContext, viewerOf } from '../context';
import { Roles } from './access.decorators';
import { Role } from './role';
import { Viewer } from './viewer';

@Resolver()
export class ViewerResolver {
  @Roles(Role.ADMIN, Role.MEMBER, Role.SERVICE)
  @Query(() => Viewer, { description: 'The workspace and role behind the calling token.' })
  viewer(@Ctx() context: GraphQLContext): Viewer {
    return viewerOf(context);
  }
}
