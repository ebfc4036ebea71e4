import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Provider } from '../providers/provider.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { Capability } from './capability';

/** Where a model row came from. */
export enum ModelSource {
  /** The built-in catalog of well-known models (workspaceId null). */
  CATALOG = 'CATALOG',
  /** Declared by a workspace's custom provider. */
  DECLARED = 'DECLARED',
  /** Seen in a key's listing and not otherwise known; private to that workspace. */
  LISTED = 'LISTED',
}

/**
 * A model id under a provider. Catalog rows are shared; declared and listed rows belong to one
 * workspace, so a fine-tuned model one workspace lists is never shown to another.
 */
@Entity({ name: 'models' })
@Index('models_shared_unique', ['providerId', 'modelId'], { unique: true, where: 'workspace_id IS NULL' })
@Index('models_workspace_unique', ['workspaceId', 'providerId', 'modelId'], { unique: true, where: 'workspace_id IS NOT NULL' })
export class ModelRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  workspaceId: string | null;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Index()
  @Column({ type: 'uuid' })
  providerId: string;

  @ManyToOne(() => Provider, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: Provider;

  @Column({ type: 'varchar', length: 200 })
  modelId: string;

  @Column({ type: 'varchar', length: 200 })
  displayName: string;

  @Column({ type: 'enum', enum: Capability, enumName: 'model_capability', array: true, default: '{}' })
  capabilities: Capability[];

  @Column({ type: 'enum', enum: ModelSource, enumName: 'model_source' })
  source: ModelSource;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
