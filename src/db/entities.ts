import { AuditEvent } from '../audit/audit-event.entity';
import { AppKey } from '../auth/app-key.entity';
import { KeyTestRun } from '../keys/key-test-run.entity';
import { ProviderKey } from '../keys/provider-key.entity';
import { KeyModel } from '../models/key-model.entity';
import { ModelRecord } from '../models/model.entity';
import { Provider } from '../providers/provider.entity';
import { ModelSelection } from '../selections/model-selection.entity';
import { Workspace } from '../workspaces/workspace.entity';

/** Every entity, listed by hand: a class that is not here is not mapped. */
export const entities = [Workspace, AppKey, Provider, ModelRecord, ProviderKey, KeyTestRun, KeyModel, ModelSelection, AuditEvent];
