import type { Viewer } from './auth/viewer';
import type { Loaders } from './loaders';

/** What every resolver receives. `viewer` is undefined for a request without a valid token. */
export interface GraphQLContext {
  readonly requestId: string;
  readonly viewer?: Viewer;
  readonly loaders: Loaders;
}

/** Resolvers behind @Roles may rely on the viewer; this narrows the type and guards the impossible. */
export function viewerOf(context: GraphQLContext): Viewer {
  if (!context.viewer) throw new Error('viewerOf called on a field that is not behind @Roles');
  return context.viewer;
}
