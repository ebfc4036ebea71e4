import type { Queue } from 'bullmq';
import { type Request, type Response, Router } from 'express';
import { queueDashboardRoutes } from './admin/queue-dashboard.routes';
import type { AuthService } from './auth/auth.service';
import type { Config } from './config';
import type { Logger } from './logger';
import { metricsHandler } from './metrics/metrics-endpoint';
import type { Metrics } from './metrics/metrics';
import { playgroundRoutes } from './playground/playground.routes';

/** The operator and admin surface of the api: /metrics, /admin/queues and the playground. */
export function opsRoutes(deps: {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  auth: AuthService;
  queues: readonly Queue[];
  graphqlPath: string;
}): Router {
  const { config, logger } = deps;
  const router = Router();
  const serveMetrics = metricsHandler(deps.metrics, config.metricsToken, logger);
  router.get('/metrics', (req: Request, res: Response) => void serveMetrics(req, res));
  router.use(
    queueDashboardRoutes({
      queues: deps.queues,
      access: { operatorToken: config.operatorToken, operatorWorkspaceId: config.operatorWorkspaceId },
      auth: deps.auth,
      logger,
    }),
  );
  if (config.playground) router.use(playgroundRoutes({ graphqlPath: deps.graphqlPath, logger }));
  return router;
}
