import type { App } from './env.js';

/** The order `Allow` lists methods in, whatever order the routes were added in. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

interface RouteShape {
  pattern: RegExp;
  method: string;
}

/**
 * The methods the app answers on a path, read from its own routes, so that a known path asked
 * with another method gets 405 and an `Allow` header (RFC 9110, section 15.5.6) instead of a 404
 * that reads as if the path did not exist. Middleware (method `ALL`) and the dashboard's
 * catch-all page (`/*`) are not routes of any one path. GET routes answer HEAD too. A path that
 * fits a route's pattern can still name nothing (`/assets/:name` for a file the build lacks):
 * `namesNothing` says so, and no method is allowed there, so every method gets GET's 404.
 */
export function allowedMethods(
  app: App,
  namesNothing: (path: string) => boolean = () => false,
): (path: string) => string[] {
  let shapes: RouteShape[] | undefined;
  return (path) => {
    if (namesNothing(path)) return [];
    shapes ??= app.routes
      .filter((route) => route.method !== 'ALL' && !route.path.endsWith('*'))
      .map((route) => ({ pattern: patternOf(route.path), method: route.method }));
    const methods = new Set(shapes.filter((s) => s.pattern.test(path)).map((s) => s.method));
    if (methods.has('GET')) methods.add('HEAD');
    return ORDER.filter((method) => methods.has(method));
  };
}

/** `/tokens/:id` as a regular expression: a parameter is one non-empty path segment. */
function patternOf(path: string): RegExp {
  const segments = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
  // Exactly: the router does not take `/verify/` for `/verify`, so neither does this.
  return new RegExp(`^${segments.join('/')}$`);
}
