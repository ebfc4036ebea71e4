import { Field, ID, ObjectType } from 'type-graphql';
import { Capability } from './capability';
import { ModelLockReason } from './model-lock-reason';

/** A model as one workspace sees it: whether a key of that workspace unlocks it, and if not, why. */
@ObjectType('Model')
export class ModelView {
  @Field(() => ID)
  id: string;

  providerId: string;

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
