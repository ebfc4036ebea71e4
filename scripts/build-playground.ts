import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Bundles the playground (GraphiQL, React, Monaco and its workers) from npm packages into
 * dist/playground, so the api serves every asset itself and the page works with no internet.
 * `npm run build` runs it; `npm run dev` and the tests call ensurePlaygroundBuilt(), which rebuilds
 * only when the client sources or the lock file changed.
 */
const ROOT = join(__dirname, '..');
const CLIENT = join(ROOT, 'src', 'playground', 'client');
export const PLAYGROUND_OUT = join(ROOT, 'dist', 'playground');
const STAMP = join(PLAYGROUND_OUT, 'build-stamp.json');

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>BYOK playground</title>
<link rel="stylesheet" href="/playground/app.css">
</head>
<body>
<div id="root"></div>
<script src="/playground/app.js"></script>
</body>
</html>
`;

/** Changes whenever the bundle could: client sources, this script, the locked package versions. */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(CLIENT).sort()) hash.update(file).update(readFileSync(join(CLIENT, file)));
  hash.update(readFileSync(__filename));
  hash.update(readFileSync(join(ROOT, 'package-lock.json')));
  return hash.digest('hex');
}

export async function buildPlayground(log: (line: string) => void = console.log): Promise<void> {
  // esbuild is a devDependency: loaded only when building, never by the running api.
  const esbuild = await import('esbuild');
  const started = Date.now();
  rmSync(PLAYGROUND_OUT, { recursive: true, force: true });
  mkdirSync(PLAYGROUND_OUT, { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    format: 'iife' as const,
    target: 'es2022',
    legalComments: 'none' as const,
    logLevel: 'error' as const,
    define: { 'process.env.NODE_ENV': '"production"' },
    absWorkingDir: ROOT,
  };
  await esbuild.build({
    ...common,
    entryPoints: { app: join(CLIENT, 'playground.app.tsx') },
    outdir: PLAYGROUND_OUT,
    jsx: 'automatic',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
    assetNames: '[name]-[hash]',
  });
  await esbuild.build({
    ...common,
    entryPoints: {
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    outdir: PLAYGROUND_OUT,
  });
  writeFileSync(join(PLAYGROUND_OUT, 'index.html'), INDEX_HTML);
  writeFileSync(STAMP, JSON.stringify({ source: sourceHash(), builtAt: new Date().toISOString() }));
  log(`playground built into ${PLAYGROUND_OUT} in ${Date.now() - started} ms`);
}

export function playgroundIsCurrent(): boolean {
  if (!existsSync(STAMP) || !existsSync(join(PLAYGROUND_OUT, 'index.html'))) return false;
  try {
    return (JSON.parse(readFileSync(STAMP, 'utf8')) as { source?: string }).source === sourceHash();
  } catch {
    return false;
  }
}

export async function ensurePlaygroundBuilt(log: (line: string) => void = console.log): Promise<void> {
  if (!playgroundIsCurrent()) await buildPlayground(log);
}

if (require.main === module) {
  buildPlayground().catch((error: unknown) => {
    console.error(`playground build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
