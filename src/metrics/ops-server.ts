import { createServer, type Server } from 'node:http';
import { listen } from '../listen';
import type { Logger } from '../logger';
import { metricsHandler } from './metrics-endpoint';
import type { Metrics } from './metrics';

/**
 * The worker has no API, yet key tests and health flips happen there: this small server gives it
 * /metrics and /healthz on WORKER_PORT.
 */
export interface OpsServer {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function createOpsServer(options: { metrics: Metrics; metricsToken?: string; logger: Logger }): OpsServer {
  const serveMetrics = metricsHandler(options.metrics, options.metricsToken, options.logger);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      void serveMetrics(req, res);
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    }
  });
  // Scrapers keep connections alive; idle ones must not hold up shutdown.
  server.keepAliveTimeout = 5_000;
  return {
    listen: (port, host) => listen(server, port, host),
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
