import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { newId } from '../ids.js';
import type { Services } from '../services.js';
import { ClientAddressResolver } from './client-ip.js';
import type { AppEnv } from './env.js';

/** Gives each request its services, an id (sent back as X-Request-Id), its address, a log line. */
export function requestContext(services: Services): MiddlewareHandler<AppEnv> {
  const addresses = new ClientAddressResolver(services.config.trustProxy);
  return async (c, next) => {
    const started = performance.now();
    const requestId = newId('req');
    c.set('services', services);
    c.set('requestId', requestId);
    let peer: string | undefined;
    try {
      peer = getConnInfo(c).remote.address;
    } catch {
      peer = undefined;
    }
    c.set('clientIp', addresses.resolve(peer, c.req.header('x-forwarded-for')));
    await next();
    headerSetter(c)('x-request-id', requestId);
    const status = c.res.status;
    const level = status >= 500 ? 'error' : 'info';
    services.logger[level](
      {
        reqId: requestId,
        method: c.req.method,
        path: c.req.path.slice(0, 200),
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ip: c.get('clientIp'),
      },
      'request',
    );
  };
}

/**
 * Headers that every answer carries; pages replace the content security policy with their own.
 * They are set on the finished response's headers in place: `c.header()` after `next()` would
 * rebuild the response around its body stream once per call, which the benchmark showed to cost
 * more than the token check itself.
 */
export function securityHeaders(httpsPublicUrl: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const set = headerSetter(c);
    set('x-content-type-options', 'nosniff');
    set('x-frame-options', 'DENY');
    set('referrer-policy', 'no-referrer');
    set('cross-origin-opener-policy', 'same-origin');
    if (!c.res.headers.has('content-security-policy')) {
      set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    }
    // Answers of the API can carry secrets or personal data: no cache may keep them.
    if (!c.res.headers.has('cache-control')) set('cache-control', 'no-store');
    if (httpsPublicUrl) set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  };
}

/**
 * Sets a header on the finished response in place. HEAD is the exception: Hono runs it as GET
 * and copies the answer from a snapshot of its headers taken earlier, so there `c.header()` (which
 * rebuilds the response) is the way that sticks.
 */
function headerSetter(c: Context<AppEnv>): (name: string, value: string) => void {
  if (c.req.raw.method === 'HEAD') return (name, value) => c.header(name, value);
  return (name, value) => c.res.headers.set(name, value);
}
