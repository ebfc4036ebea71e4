import { Field, ID, ObjectType } from 'type-graphql';
import { Provider } from '../providers/provider.entity';
import { Capability } from './capability';
import { ModelLockReason } from './model-lock-reason';

/**
 * A model as one workspace sees it: whether a key of that workspace unlocks it, and if not, why.
 * Plain fields resolve without type-graphql's per-field wrapper (simpleResolvers): a picker answer
 * holds hundreds of models, and none of these fields carries its own authorization.
 */
@ObjectType('Model', { simpleResolvers: true })
export class ModelView {
  @Field(() => ID)
  id: string;

  providerId: string;

  /** Read in the same query as the model, so a list of models costs no lookup per model. */
  @Field(() => Provider)
  provider: Provider;

  @Field({ description: 'The provider\'s own id, e.g. "gpt-4o-mini".' })
  modelId: string;

  @Field()
  displayName: string;

  @Field(() => [Capability])
  capabilities: Capability[];

  @Field({ description: "Unlocked by at least one tested, healthy key in the viewer's workspace." })
  available: boolean;

  @Field(() => ModelLockReason, { nullable: true, description: 'Null when available.' })
  lockedReason: ModelLockReason | null;
}
