import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';

export enum CallOutcome {
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}

registerEnumType(CallOutcome, { name: 'CallOutcome' });

/** One model call a service made with a workspace's key, as the service saw it. */
@InputType()
export class ModelCallReport {
  @Field(() => ID)
  keyId: string;

  @Field(() => String, { nullable: true })
  modelId?: string | null;

  @Field(() => CallOutcome)
  outcome: CallOutcome;

  @Field(() => Int, { nullable: true, description: "The provider's HTTP status, if it answered." })
  httpStatus?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'The provider\'s error code (e.g. "insufficient_quota") or the network error (e.g. "ECONNRESET", "ETIMEDOUT").',
  })
  errorCode?: string | null;

  @Field(() => String, { nullable: true, description: 'The provider\'s error text; only a short, scrubbed reason is kept.' })
  message?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the call happened; defaults to when the report arrives.' })
  at?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: "The key's secretVersion the call used. Without it, a call before the key's last rotation counts as the older secret's.",
  })
  secretVersion?: number | null;
}
