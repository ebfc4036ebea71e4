import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Capability } from '../models/capability';
import { ModelView } from '../models/model.types';
import { SelectionStatus } from './selection-status';

@ObjectType('ModelSelection')
export class ModelSelectionView {
  @Field(() => Capability)
  purpose: Capability;

  @Field(() => ModelView, { description: 'What the workspace chose.' })
  model: ModelView;

  @Field(() => [ModelView])
  fallbacks: ModelView[];

  @Field(() => SelectionStatus)
  status: SelectionStatus;

  @Field(() => ModelView, { nullable: true, description: 'What a runtime call should use now; null when BLOCKED.' })
  effectiveModel: ModelView | null;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@ObjectType()
export class ResolvedModel {
  @Field(() => ModelView)
  model: ModelView;

  @Field(() => ID, { description: 'A tested, healthy key that unlocks the model: HEALTHY before DEGRADED, then the most recently passed.' })
  keyId: string;

  @Field({ description: 'Report it back with reportModelCalls, so outcomes count against the secret that was used.' })
  secretVersion: number;

  @Field()
  viaFallback: boolean;
}

@InputType()
export class SelectModelInput {
  @Field(() => Capability)
  purpose: Capability;

  @Field(() => ID, { description: 'Model.id (from models or availableModels).' })
  modelId: string;

  @Field(() => [ID], { nullable: true, description: 'Ordered; the first available one stands in while the chosen model is locked.' })
  fallbackModelIds?: string[] | null;
}
