import type { WebSocket } from 'ws';
import type { Logger } from '../logger';

export const CLOSE_FORBIDDEN = 4403;

/**
 * Open graphql-ws sockets by the app key that opened them, so a revoked token's sockets close at
 * once (on the revocation event) and, should that event be missed, at the next periodic re-check.
 */
export class SocketRegistry {
  private readonly byAppKey = new Map<string, Set<WebSocket>>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly logger: Logger) {}

  add(appKeyId: string, socket: WebSocket): void {
    let sockets = this.byAppKey.get(appKeyId);
    if (!sockets) {
      sockets = new Set();
      this.byAppKey.set(appKeyId, sockets);
    }
    sockets.add(socket);
  }

  remove(appKeyId: string, socket: WebSocket): void {
    const sockets = this.byAppKey.get(appKeyId);
    if (!sockets) return;
    sockets.delete(socket);
    if (sockets.size === 0) this.byAppKey.delete(appKeyId);
  }

  get size(): number {
    let total = 0;
    for (const sockets of this.byAppKey.values()) total += sockets.size;
    return total;
  }

  closeAppKey(appKeyId: string, reason: string): void {
    const sockets = this.byAppKey.get(appKeyId);
    if (!sockets) return;
    this.logger.info({ appKeyId, sockets: sockets.size }, 'closing sockets of a revoked app key');
    for (const socket of sockets) socket.close(CLOSE_FORBIDDEN, reason);
    this.byAppKey.delete(appKeyId);
  }

  /** Re-checks every app key with an open socket; `isActive` failing (database away) keeps sockets open. */
  startRecheck(isActive: (appKeyId: string) => Promise<boolean>, intervalMs: number): void {
    this.timer = setInterval(() => {
      for (const appKeyId of [...this.byAppKey.keys()]) {
        isActive(appKeyId).then(
          (active) => {
            if (!active) this.closeAppKey(appKeyId, 'Forbidden: token revoked');
          },
          (error: unknown) => this.logger.warn({ err: error, appKeyId }, 'could not re-check a socket token'),
        );
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
