import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type PubSub } from 'type-graphql';
import { AuditResolver } from './audit/audit.resolver';
import { AppKeyResolver } from './auth/app-key.resolver';
import { authChecker } from './auth/auth.checker';
import { ViewerResolver } from './auth/viewer.resolver';
import { SubscriptionResolver } from './events/subscription.resolver';
import { KeyTestResolver } from './keys/key-test.resolver';
import { ProviderKeyResolver } from './keys/provider-key.resolver';
import { ModelResolver } from './models/model.resolver';
import { ProviderResolver } from './providers/provider.resolver';
import { SelectionResolver } from './selections/selection.resolver';
import { RuntimeReportResolver } from './runtime/runtime-report.resolver';

/** Every resolver class, listed by hand: one that is not here is not in the API. */
export const resolverClasses = [
  ViewerResolver,
  AppKeyResolver,
  ProviderResolver,
  ProviderKeyResolver,
  KeyTestResolver,
  ModelResolver,
  SelectionResolver,
  SubscriptionResolver,
  AuditResolver,
  RuntimeReportResolver,
] as const;

/** One instance per resolver class, built by the composition root with the services it needs. */
export type ResolverInstances = ReadonlyMap<Function, object>;

export async function buildAppSchema(options: { resolvers: ResolverInstances; pubSub: PubSub }): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...resolverClasses],
    container: {
      get: (someClass: Function) => {
        const instance = options.resolvers.get(someClass);
        if (!instance) throw new Error(`No instance registered for resolver ${someClass.name}`);
        return instance;
      },
    },
    authChecker,
    authMode: 'error',
    pubSub: options.pubSub,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Inputs are checked by the services, which know the rules and the error codes.
    validate: false,
    emitSchemaFile: false,
  });
}

/** The SDL committed as schema/schema.graphql: sorted, so the file only changes when the API does. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
