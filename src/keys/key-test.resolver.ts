import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Roles } from '../auth/access.decorators';
import { Role } from '../auth/role';
import { type GraphQLContext, viewerOf } from '../context';
import { KeyTestRun } from './key-test-run.entity';
import type { KeyTestService } from './key-test.service';

@Resolver(() => KeyTestRun)
export class KeyTestResolver {
  constructor(private readonly service: KeyTestService) {}

  @Roles(Role.ADMIN, Role.MEMBER)
  @Mutation(() => KeyTestRun, {
    description: 'Queues a MANUAL test and returns its run (TESTING). Concurrent calls for one key and secret version share one run.',
  })
  testProviderKey(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<KeyTestRun> {
    return this.service.requestManual(viewerOf(context), id);
  }

  @Roles(Role.ADMIN, Role.MEMBER)
  @Query(() => [KeyTestRun], { description: 'The test history of a key, newest first.' })
  keyTestRuns(
    @Arg('keyId', () => ID) keyId: string,
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: 20, nullable: true }) first: number | null = 20,
  ): Promise<KeyTestRun[]> {
    return this.service.listRuns(viewerOf(context).workspaceId, keyId, first ?? 20);
  }
}
