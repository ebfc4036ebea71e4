import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProviderKey } from '../keys/provider-key.entity';
import { ModelRecord } from './model.entity';

/** A model a key unlocked at its last passing test: its listing, matched to known or declared models. */
@Entity({ name: 'key_models' })
@Index('key_models_model', ['modelRecordId'])
export class KeyModel {
  @PrimaryColumn({ type: 'uuid' })
  keyId: string;

  @PrimaryColumn({ type: 'uuid' })
  modelRecordId: string;

  @ManyToOne(() => ProviderKey, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'key_id' })
  key?: ProviderKey;

  @ManyToOne(() => ModelRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_record_id' })
  model?: ModelRecord;
}
