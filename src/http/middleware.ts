import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { newId } from '../ids.js';
import type { Services } from '../services.js';
import { ClientAddressResolver } from './client-ip.js';
import type { AppEnv } from './env.js';
import { logRequest } from './request-log.js';

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
    logRequest(services.logger, {
      reqId: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      started,
      ip: c.get('clientIp'),
    });
  };
}

/**
 * Headers that every answer carries, API answers as they are; pages replace the content security
 * policy (and may set their own cache policy), which is why those two are applied only when
 * absent. Also used by the node:http fast path (`fast-verify.ts`), so both paths send the same.
 */
export function apiHeaders(httpsPublicUrl: boolean): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['referrer-policy', 'no-referrer'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
    // Answers of the API can carry secrets or personal data: no cache may keep them.
    ['cache-control', 'no-store'],
  ];
  if (httpsPublicUrl) {
    headers.push(['strict-transport-security', 'max-age=31536000; includeSubDomains']);
  }
  return headers;
}

/**
 * Gives a HEAD answer the `Content-Length` its GET would have had (RFC 9110, section 9.3.2: the
 * same headers, no body). Hono answers HEAD by running the GET route and dropping the body, and
 * @hono/node-server counts only a body it sends, so without this every HEAD answer lacked the
 * header. Every answer of this app is built in memory (none is streamed), so counting costs a copy
 * of a small body, and only on HEAD: GET, the path that matters, is untouched.
 */
export function headContentLength(): MiddlewareHandler<AppEnv> {
  const counted: MiddlewareHandler<AppEnv> = async (c, next) => {
    await next();
    // A bodiless GET answer (204, 304, a redirect) has no length to announce either.
    if (c.res.headers.has('content-length') || c.res.body === null) return;
    const length = (await c.res.clone().arrayBuffer()).byteLength;
    headerSetter(c)('content-length', String(length));
  };
  // Any other method passes straight through, without waiting for its answer.
  return (c, next) => (c.req.raw.method === 'HEAD' ? counted(c, next) : next());
}

const SET_ONLY_WHEN_ABSENT = new Set(['content-security-policy', 'cache-control']);

/**
 * Sets `apiHeaders` on the finished response's headers in place: `c.header()` after `next()`
 * would rebuild the response around its body stream once per call, which the benchmark showed to
 * cost more than the token check itself.
 */
export function securityHeaders(httpsPublicUrl: boolean): MiddlewareHandler<AppEnv> {
  const headers = apiHeaders(httpsPublicUrl);
  return async (c, next) => {
    await next();
    const set = headerSetter(c);
    for (const [name, value] of headers) {
      if (SET_ONLY_WHEN_ABSENT.has(name) && c.res.headers.has(name)) continue;
      set(name, value);
    }
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
