import { Hono, type Context } from 'hono';
import { preferredType } from '../http/accept.js';
import type { AppEnv } from '../http/env.js';
import { ApiError } from '../http/problem.js';
import { webBundle } from './dashboard-assets.js';

export const dashboardRoutes = new Hono<AppEnv>();

/** Paths the dashboard answers with its page; each is a page of the client-side router. */
export const PAGE_PATHS = [
  '/',
  '/sign-in',
  '/account',
  '/account/tokens',
  '/events',
  '/manage/users',
  '/manage/tokens',
  '/manage/organization',
  '/manage/audit',
] as const;

/** Paths that belong to the APIs: the dashboard never answers them, even for a browser. */
const API_PREFIX = /^\/(admin|auth|v1|login|logout|me|token|tokens|verify|health|assets)(\/|$)/;

/**
 * Scripts and styles come only from our own files (no inline code, no other host), nothing may
 * frame the pages, and Trusted Types forbid the DOM's HTML-parsing sinks: the client builds every
 * element with createElement and text nodes, so injected markup cannot become code.
 */
export const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** Which sign-in methods the sign-in page should offer. */
dashboardRoutes.get('/auth/providers', (c) =>
  c.json({ password: true, github: c.get('services').config.github !== undefined }),
);

dashboardRoutes.get('/assets/:name', (c) => {
  const asset = webBundle().assets.get(c.req.param('name'));
  if (!asset) throw new ApiError(404, 'not_found', 'No such dashboard file.');
  // File names carry a hash of their content, so a cached copy can never be stale.
  return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
    'content-type': asset.type,
    'cache-control': 'public, max-age=31536000, immutable',
  });
});

/**
 * Whether a path of the shape `/assets/:name` names no file of the build. The route takes any
 * name and answers 404 for one it does not have; the app's 405 for other methods must not then
 * suggest that the file exists. Compares the path as the router decoded it, like the route's
 * parameter (only `%25` stays encoded there, and no built file name holds a `%`).
 */
export function isMissingAsset(path: string): boolean {
  const name = /^\/assets\/([^/]+)$/.exec(path)?.[1];
  return name !== undefined && !webBundle().assets.has(name);
}

for (const path of PAGE_PATHS) dashboardRoutes.get(path, (c) => page(c, 200));

/**
 * Problem details first: a program that states no preference (no Accept, or the full wildcard)
 * gets the API's 404, and a browser, which ranks HTML above everything, gets the page.
 */
const NOT_FOUND_TYPES = ['application/problem+json', 'application/json', 'text/html'] as const;

/** A person who types a wrong address gets the dashboard's own "not found" page. */
dashboardRoutes.get('*', (c) => {
  const wantsPage = preferredType(c.req.header('accept'), NOT_FOUND_TYPES) === 'text/html';
  // The app's own answer: 404, or 405 where the path exists for other methods.
  if (!wantsPage || API_PREFIX.test(c.req.path)) return c.notFound();
  return page(c, 404);
});

function page(c: Context<AppEnv>, status: 200 | 404) {
  const shell = webBundle().shell;
  if (!shell) {
    throw new ApiError(
      503,
      'dashboard_not_built',
      'The dashboard is not built: run npm run build.',
    );
  }
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': PAGE_POLICY,
    // The shell holds no personal data; revalidating keeps it in step with new builds.
    'cache-control': 'no-cache',
    etag: shell.etag,
  };
  if (status === 200 && c.req.header('if-none-match') === shell.etag) {
    return c.body(null, 304, headers);
  }
  return c.body(shell.body, status, headers);
}
