import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Request, type Response, Router } from 'express';
import type { Logger } from '../logger';

/**
 * GraphiQL for browsers at GET /graphql (Accept: text/html), its assets under /playground. Every
 * other request to /graphql (POST, GET with a JSON Accept) falls through to Apollo unchanged.
 * The assets are bundled by scripts/build-playground.ts; the CSP keeps the page to this origin.
 */
export const PLAYGROUND_ASSETS_PATH = '/playground';

/** dist/playground, seen from the compiled dist/src/playground or from src/playground under ts-node. */
const CANDIDATE_DIRS = [resolve(__dirname, '..', '..', 'playground'), resolve(__dirname, '..', '..', 'dist', 'playground')];

export function playgroundAssetsDir(): string | undefined {
  return CANDIDATE_DIRS.find((dir) => existsSync(join(dir, 'index.html')));
}

const SECURITY_HEADERS = {
  // Monaco sets inline styles; everything else, sockets included, stays on this origin.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A browser navigating to the URL, not a GraphQL client doing a GET query. */
function wantsPage(req: Request): boolean {
  return req.query.query === undefined && req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

export function playgroundRoutes(options: { graphqlPath: string; logger: Logger }): Router {
  const router = Router();
  const dir = playgroundAssetsDir();
  if (!dir) options.logger.warn('playground assets are missing: run `npm run build` (or `npm run dev`) to bundle them');

  router.get(options.graphqlPath, (req: Request, res: Response, next) => {
    if (!wantsPage(req)) return next();
    if (!dir) {
      res.status(503).type('text/plain').send('The playground is not built. Run `npm run build` (or `npm run dev`), then reload.\n');
      return;
    }
    res.set({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' }).sendFile(join(dir, 'index.html'));
  });
  if (dir) {
    router.use(
      PLAYGROUND_ASSETS_PATH,
      express.static(dir, { index: false, fallthrough: false, setHeaders: (res) => res.set(SECURITY_HEADERS) }),
    );
  }
  return router;
}
