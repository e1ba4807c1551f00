import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built dashboard, held in memory: a few small files, read once. */
export interface WebBundle {
  shell: { body: string; etag: string } | undefined;
  assets: Map<string, { body: Uint8Array; type: string }>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** `dist/web` of the package: this file sits two folders deep in both `src/` and `dist/`. */
export const WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

// LIMITATION: a running server keeps the build it first read; a rebuild shows after a restart
// (cost: a restart per deploy, which a deploy does anyway; fix: watch dist/web in development).
let cached: WebBundle | undefined;

/**
 * Only names listed from the build folder can be served, so no request path ever reaches the file
 * system. A missing build is remembered as missing only until it appears.
 */
export function webBundle(dir = WEB_DIR): WebBundle {
  if (cached?.shell) return cached;
  const shellPath = join(dir, 'index.html');
  const assets = new Map<string, { body: Uint8Array; type: string }>();
  if (!existsSync(shellPath)) return (cached = { shell: undefined, assets });
  for (const name of readdirSync(join(dir, 'assets'))) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { body: readFileSync(join(dir, 'assets', name)), type });
  }
  const body = readFileSync(shellPath, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
  return (cached = { shell: { body, etag }, assets });
}
