import { Field, InputType } from 'type-graphql';
import { Capability } from '../models/capability';
import { Protocol } from './protocol';

@InputType()
export class ModelDeclarationInput {
  @Field({ description: 'The id the endpoint expects, e.g. "llama-3.1-70b-instruct".' })
  modelId: string;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => [Capability])
  capabilities: Capability[];
}

@InputType()
export class CreateCustomProviderInput {
  @Field()
  name: string;

  @Field()
  endpoint: string;

  @Field(() => Protocol)
  protocol: Protocol;

  @Field(() => [ModelDeclarationInput])
  models: ModelDeclarationInput[];
}
