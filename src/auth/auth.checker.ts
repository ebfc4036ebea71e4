import type { AuthChecker } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { AppError, ErrorCode } from '../errors';
import type { Role } from './role';

/**
 * type-graphql answers "forbidden" for every failed check that names roles, so the missing-token
 * case is raised here to keep UNAUTHENTICATED and FORBIDDEN apart.
 */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) => {
  if (!context.viewer) throw unauthenticated();
  return roles.length === 0 || roles.includes(context.viewer.role);
};

export const unauthenticated = (): AppError =>
  new AppError(ErrorCode.UNAUTHENTICATED, 'A valid app token is required: send "Authorization: Bearer <token>".');
