import { AppKey } from '../auth/app-key.entity';
import { Workspace } from '../workspaces/workspace.entity';

/** Every entity, listed by hand: a class that is not here is not mapped. */
export const entities = [Workspace, AppKey];
