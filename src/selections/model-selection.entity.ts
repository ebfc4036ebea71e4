import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Capability } from '../models/capability';
import { ModelRecord } from '../models/model.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { SelectionStatus } from './selection-status';

/**
 * The model a workspace chose for a purpose, with ordered fallbacks. status, effective model and
 * reason are what the last evaluation found; they are kept to notice (and announce) changes, while
 * reads evaluate again, so what a client sees is never older than the keys behind it.
 */
@Entity({ name: 'model_selections' })
@Index('model_selections_purpose', ['workspaceId', 'purpose'], { unique: true })
export class ModelSelection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Column({ type: 'enum', enum: Capability, enumName: 'model_capability' })
  purpose: Capability;

  // A custom provider's deletion takes its declared models, and with them the selections of them.
  @Column({ type: 'uuid' })
  modelRecordId: string;

  @ManyToOne(() => ModelRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_record_id' })
  model?: ModelRecord;

  /** Ordered; a fallback whose model row disappeared is skipped. */
  @Column({ type: 'uuid', array: true, default: '{}' })
  fallbackModelIds: string[];

  @Column({ type: 'enum', enum: SelectionStatus, enumName: 'selection_status' })
  status: SelectionStatus;

  @Column({ type: 'uuid', nullable: true })
  effectiveModelRecordId: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
