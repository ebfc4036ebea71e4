import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { Roles } from '../auth/access.decorators';
import { Role } from '../auth/role';
import { type GraphQLContext, viewerOf } from '../context';
import { ModelCallReport } from './model-call-report.inputs';
import { MAX_REPORTS_PER_CALL, type RuntimeReportService } from './runtime-report.service';

@Resolver()
export class RuntimeReportResolver {
  constructor(private readonly service: RuntimeReportService) {}

  @Roles(Role.SERVICE, Role.ADMIN)
  @Mutation(() => Int, {
    description: `Runtime outcomes of model calls made with this workspace's keys (at most ${MAX_REPORTS_PER_CALL} per call). Returns how many were accepted: reports about unknown keys, or malformed ones, are not. Failures move key health (see the README, "Runtime health").`,
  })
  reportModelCalls(@Arg('reports', () => [ModelCallReport]) reports: ModelCallReport[], @Ctx() context: GraphQLContext): Promise<number> {
    return this.service.report(viewerOf(context), reports);
  }
}
