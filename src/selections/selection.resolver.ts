import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Roles } from '../auth/access.decorators';
import { Role } from '../auth/role';
import { type GraphQLContext, viewerOf } from '../context';
import { Capability } from '../models/capability';
import { ModelSelectionView, ResolvedModel, SelectModelInput } from './model-selection.types';
import type { SelectionService } from './selection.service';

@Resolver(() => ModelSelectionView)
export class SelectionResolver {
  constructor(private readonly service: SelectionService) {}

  @Roles(Role.ADMIN, Role.MEMBER, Role.SERVICE)
  @Query(() => [ModelSelectionView], { description: "The workspace's chosen models, evaluated against its keys now." })
  modelSelections(@Ctx() context: GraphQLContext): Promise<ModelSelectionView[]> {
    return this.service.list(viewerOf(context).workspaceId);
  }

  @Roles(Role.ADMIN, Role.MEMBER)
  @Mutation(() => ModelSelectionView, { description: 'Refuses a locked model with MODEL_LOCKED, saying which key to add or fix.' })
  selectModel(@Arg('input', () => SelectModelInput) input: SelectModelInput, @Ctx() context: GraphQLContext): Promise<ModelSelectionView> {
    return this.service.select(viewerOf(context), input);
  }

  @Roles(Role.SERVICE, Role.ADMIN)
  @Query(() => ResolvedModel, { nullable: true, description: 'What to call right now for a purpose, and with which key; null when nothing is selected.' })
  resolveModel(@Arg('purpose', () => Capability) purpose: Capability, @Ctx() context: GraphQLContext): Promise<ResolvedModel | null> {
    return this.service.resolve(viewerOf(context).workspaceId, purpose);
  }
}
