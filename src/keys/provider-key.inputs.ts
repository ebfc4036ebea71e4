import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class AddProviderKeyInput {
  @Field(() => ID)
  providerId: string;

  @Field({ description: 'The provider key. Stored encrypted; never returned by any query.' })
  apiKey: string;

  @Field(() => String, { nullable: true, description: "Defaults to the provider's endpoint." })
  endpoint?: string | null;

  @Field(() => String, { nullable: true })
  label?: string | null;
}
