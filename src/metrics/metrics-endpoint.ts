import type { IncomingMessage, ServerResponse } from 'node:http';
import { credentialFrom, matchesSecret } from '../auth/shared-secret';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';

/**
 * GET /metrics, shared by the api (express) and the worker (plain node:http). Open unless
 * METRICS_TOKEN is set: the text holds counts with bounded labels only, no ids and no secrets.
 */
export function metricsHandler(metrics: Metrics, token: string | undefined, logger: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (token !== undefined && !matchesSecret(credentialFrom(req.headers.authorization), token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' });
      res.end('Unauthorized: send "Authorization: Bearer <METRICS_TOKEN>".\n');
      return;
    }
    try {
      const { contentType, body } = await metrics.scrape();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(body);
    } catch (error) {
      logger.error({ err: error }, 'metrics scrape failed');
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Metrics are not available right now.\n');
    }
  };
}
