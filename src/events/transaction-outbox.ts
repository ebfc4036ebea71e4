import type { EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import type { TransactionCommitEvent } from 'typeorm/subscriber/event/TransactionCommitEvent';
import type { TransactionRollbackEvent } from 'typeorm/subscriber/event/TransactionRollbackEvent';

type Effect = () => void | Promise<void>;

/**
 * Work to do once a transaction commits (publishing events), and to forget if it rolls back: a
 * subscriber never hears of a change that did not happen, and hears of every one that did, in
 * commit order. Registered on the DataSource as a TypeORM subscriber.
 */
export class TransactionOutbox implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, Effect[]>();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Runs `effect` after `tx` commits; at once when `tx` is not a transaction. */
  afterCommit(tx: EntityManager, effect: Effect): void {
    const runner = tx.queryRunner;
    if (!runner?.isTransactionActive) {
      this.run(effect);
      return;
    }
    let effects = this.pending.get(runner);
    if (!effects) {
      effects = [];
      this.pending.set(runner, effects);
    }
    effects.push(effect);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const effects = event.queryRunner ? this.pending.get(event.queryRunner) : undefined;
    if (!effects) return;
    this.pending.delete(event.queryRunner);
    for (const effect of effects) this.run(effect);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner) this.pending.delete(event.queryRunner);
  }

  private run(effect: Effect): void {
    try {
      const result = effect();
      if (result) result.catch(this.onError);
    } catch (error) {
      this.onError(error);
    }
  }
}
