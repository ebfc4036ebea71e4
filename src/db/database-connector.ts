import type { DataSource, EntitySubscriberInterface } from 'typeorm';
import type { Logger } from '../logger';

/**
 * Connects the data source in the background and keeps trying, so a process starts (and answers
 * /healthz) while Postgres is still coming up, and becomes ready by itself when it does.
 */
export class DatabaseConnector {
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private attempt?: Promise<void>;
  readonly ready: Promise<void>;
  private resolveReady!: () => void;

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
    /** Subscribers built by the composition root (TypeORM only builds them from classes). */
    private readonly subscribers: readonly EntitySubscriberInterface[] = [],
    private readonly retryMs = 2_000,
  ) {
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  start(): void {
    this.attempt = this.tryConnect();
  }

  private async tryConnect(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.db.initialize();
      // initialize() rebuilds the subscriber list, so ours join it afterwards.
      (this.db.subscribers as EntitySubscriberInterface[]).push(...this.subscribers);
      this.logger.info('connected to postgres');
      this.resolveReady();
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, `postgres unreachable; retrying in ${this.retryMs} ms`);
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.attempt = this.tryConnect();
      }, this.retryMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.attempt?.catch(() => undefined);
    if (this.db.isInitialized) await this.db.destroy();
  }
}
