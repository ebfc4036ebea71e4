import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { type Request, type Response, Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { ErrorCode } from '../errors';
import type { Logger } from '../logger';
import { type OperatorAccess, operatorGuard } from './operator-guard';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** The UI asks Google for fonts; the CSP keeps the dashboard on this origin (fonts fall back). */
const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/**
 * Bull Board for the queues handed over by the composition root, behind the operator guard. Job data
 * carries ids only, so the dashboard shows no secret. With neither OPERATOR_TOKEN nor
 * OPERATOR_WORKSPACE_ID set there is no dashboard: the path answers 404.
 */
export function queueDashboardRoutes(options: { queues: readonly Queue[]; access: OperatorAccess; auth: AuthService; logger: Logger }): Router {
  const router = Router();
  if (options.access.operatorToken === undefined && options.access.operatorWorkspaceId === undefined) {
    router.use(QUEUE_DASHBOARD_PATH, (_req: Request, res: Response) => {
      res.status(404).json({
        errors: [{ message: 'The queue dashboard is off: set OPERATOR_TOKEN or OPERATOR_WORKSPACE_ID to enable it.', extensions: { code: ErrorCode.NOT_FOUND } }],
      });
    });
    return router;
  }
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'BYOK queues' } },
  });
  router.use(
    QUEUE_DASHBOARD_PATH,
    operatorGuard(options.access, options.auth, options.logger),
    (_req, res, next) => {
      res.set({ 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
      next();
    },
    serverAdapter.getRouter(),
  );
  return router;
}
