import { Arg, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Roles } from '../auth/access.decorators';
import { Role } from '../auth/role';
import { type GraphQLContext, viewerOf } from '../context';
import { AuditEvent } from './audit-event.entity';
import { type AuditService, encodeCursor } from './audit.service';

@InputType()
export class AuditFilter {
  @Field(() => String, { nullable: true, description: 'Exact action, e.g. "key.rotated".' })
  action?: string | null;

  @Field(() => ID, { nullable: true })
  targetId?: string | null;

  @Field(() => Date, { nullable: true })
  since?: Date | null;
}

@ObjectType()
export class AuditEventEdge {
  @Field(() => AuditEvent)
  node: AuditEvent;

  @Field()
  cursor: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges: AuditEventEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@Resolver()
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Roles(Role.ADMIN)
  @Query(() => AuditEventConnection, { description: 'Newest first.' })
  async auditEvents(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => AuditFilter, { nullable: true }) filter?: AuditFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, nullable: true }) first: number | null = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditEventConnection> {
    const page = await this.service.list(viewerOf(context).workspaceId, filter ?? undefined, first ?? 50, after);
    const edges = page.events.map((node) => ({ node, cursor: encodeCursor(node.id) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
