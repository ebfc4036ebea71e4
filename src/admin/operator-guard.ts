import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { credentialFrom, matchesSecret } from '../auth/shared-secret';
import type { AuthService } from '../auth/auth.service';
import { Role } from '../auth/role';
import { ErrorCode } from '../errors';
import type { Logger } from '../logger';

/**
 * Lets through only operators: the OPERATOR_TOKEN (constant-time compare), or an ADMIN app token of
 * the OPERATOR_WORKSPACE_ID workspace. Browsers cannot add a header to a page they navigate to, so
 * HTTP Basic (any user name, the token as password) works as well as `Authorization: Bearer`.
 * No credential: 401 with a Basic challenge so the browser prompts. A valid token of anyone else: 403.
 */
export interface OperatorAccess {
  readonly operatorToken?: string;
  readonly operatorWorkspaceId?: string;
}

const CHALLENGE = 'Basic realm="byok operators", charset="UTF-8"';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function operatorGuard(access: OperatorAccess, auth: AuthService, logger: Logger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const refuse = (status: number, code: string, message: string) => {
      if (status === 401) res.setHeader('www-authenticate', CHALLENGE);
      res.status(status).json({ errors: [{ message, extensions: { code } }] });
    };
    // Basic credentials are sent by the browser on its own, so a cross-site form must not be able to
    // ride them into a state-changing dashboard action (retry, clean, pause).
    if (!SAFE_METHODS.has(req.method) && isCrossSite(req)) {
      return refuse(403, ErrorCode.FORBIDDEN, 'Cross-site requests to the queue dashboard are refused.');
    }
    const credential = credentialFrom(req.headers.authorization);
    if (!credential) return refuse(401, ErrorCode.UNAUTHENTICATED, 'Operator credentials required: OPERATOR_TOKEN or an ADMIN token of the operator workspace.');
    if (matchesSecret(credential, access.operatorToken)) return next();

    let viewer;
    try {
      viewer = await auth.authenticate(credential);
    } catch (error) {
      logger.warn({ err: error }, 'queue dashboard: could not check a token');
      res.status(503).json({ errors: [{ message: 'The database is not reachable right now. Try again shortly.', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }] });
      return;
    }
    if (!viewer) return refuse(401, ErrorCode.UNAUTHENTICATED, 'The token is malformed, unknown or revoked.');
    if (access.operatorWorkspaceId !== undefined && viewer.workspaceId === access.operatorWorkspaceId && viewer.role === Role.ADMIN) return next();
    return refuse(403, ErrorCode.FORBIDDEN, 'Only an ADMIN token of the operator workspace (or OPERATOR_TOKEN) opens the queue dashboard.');
  };
}

function isCrossSite(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}
