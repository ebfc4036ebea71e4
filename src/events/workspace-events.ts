import type { DataSource, EntityManager } from 'typeorm';
import type { ProviderKey } from '../keys/provider-key.entity';
import { queryModels } from '../models/model-availability';
import type { ModelSelectionView } from '../selections/model-selection.types';
import { Topic, type EventBus } from './event-bus';
import type { TransactionOutbox } from './transaction-outbox';

/** What travels for keyStatusChanged: the key's public fields only (the secret is not a field). */
export interface KeyStatusEvent {
  readonly id: string;
  readonly workspaceId: string;
  readonly providerId: string;
  readonly label: string | null;
  readonly endpoint: string;
  readonly maskedKey: string;
  readonly secretVersion: number;
  readonly testStatus: string;
  readonly health: string;
  readonly lastError: unknown;
  readonly lastTestedAt: string | null;
  readonly createdAt: string;
  readonly rotatedAt: string | null;
  readonly deleted: boolean;
}

export function keyStatusEvent(key: ProviderKey, deleted = false): KeyStatusEvent {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: key.id,
    workspaceId: key.workspaceId,
    providerId: key.providerId,
    label: key.label,
    endpoint: key.endpoint,
    maskedKey: key.maskedKey,
    secretVersion: key.secretVersion,
    testStatus: key.testStatus,
    health: key.health,
    lastError: key.lastError,
    lastTestedAt: iso(key.lastTestedAt),
    createdAt: iso(key.createdAt)!,
    rotatedAt: iso(key.rotatedAt),
    deleted,
  };
}

/**
 * Announces workspace changes to subscribers, after the transaction that made them commits. Each
 * topic is per workspace, so a subscriber only ever receives its own workspace's events. Pub/sub
 * is at-most-once: events carry the current state, and clients re-query on (re)connect.
 */
export class WorkspaceEvents {
  constructor(
    private readonly db: DataSource,
    private readonly bus: Pick<EventBus, 'pubSub'>,
    private readonly outbox: TransactionOutbox,
  ) {}

  keyChanged(tx: EntityManager, key: ProviderKey, options: { deleted?: boolean; availability?: boolean } = {}): void {
    const event = keyStatusEvent(key, options.deleted);
    this.outbox.afterCommit(tx, () => this.bus.pubSub.publish(Topic.KEY_STATUS_CHANGED, key.workspaceId, event));
    if (options.availability) this.availabilityChanged(tx, key.workspaceId);
  }

  selectionChanged(tx: EntityManager, workspaceId: string, view: ModelSelectionView): void {
    this.outbox.afterCommit(tx, () => this.bus.pubSub.publish(Topic.MODEL_SELECTION_CHANGED, workspaceId, view));
  }

  /** The workspace's available models after the commit, read once however many changes led to it. */
  availabilityChanged(tx: EntityManager, workspaceId: string): void {
    const runner = tx.queryRunner;
    if (runner) {
      const announced = (runner.data ??= {}) as { availabilityAnnounced?: Set<string> };
      announced.availabilityAnnounced ??= new Set();
      if (announced.availabilityAnnounced.has(workspaceId)) return;
      announced.availabilityAnnounced.add(workspaceId);
    }
    this.outbox.afterCommit(tx, async () => {
      const models = await queryModels(this.db.manager, workspaceId, { availableOnly: true });
      this.bus.pubSub.publish(Topic.MODEL_AVAILABILITY_CHANGED, workspaceId, models);
    });
  }
}
