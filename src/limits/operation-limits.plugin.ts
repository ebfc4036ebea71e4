import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../context';
import { refusal } from '../errors';
import { checkOperationLimits, type OperationLimits } from './operation-limits';

/** Refuses an HTTP operation over the depth or complexity limit before any resolver runs. */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const error = checkOperationLimits({ schema, document, operation, variables: request.variables, limits });
          if (error) throw refusal(error, 400);
        },
      };
    },
  };
}
