import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import type { Services } from '../services.js';
import { allowedMethods } from './allowed-methods.js';
import { DEFAULT_BODY_LIMIT } from './body.js';
import { limitBody } from './body-limit.js';
import type { AppEnv } from './env.js';
import { headContentLength, requestContext, securityHeaders } from './middleware.js';
import { ApiError, problemResponse } from './problem.js';
import { isMissingAsset } from '../routes/dashboard.js';
import { registerRoutes } from '../routes/index.js';

/** Paths that set their own, larger body limit. */
const OWN_BODY_LIMIT = /^\/v1\//;

/** Answer headers a browser page on an allowed origin may read (beyond the CORS-safelisted). */
const CORS_EXPOSED = [
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
  'WWW-Authenticate',
  'X-Request-Id',
  'Allow',
];

export function createApp(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestContext(services));
  app.use(securityHeaders(services.config.publicUrl.startsWith('https:')));
  // Around the routes and the middleware below, so it counts the final body, a refusal's too.
  app.use(headContentLength());
  if (services.config.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: services.config.corsOrigins,
        // Only the methods some route answers (the default list also names PUT and QUERY).
        allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
        // The headers the API reads; without a list, a preflight's request is echoed back.
        allowHeaders: ['Authorization', 'Content-Type'],
        // Without these a browser hides the rate-limit state and the request id from the page.
        exposeHeaders: CORS_EXPOSED,
        credentials: false,
        maxAge: 600,
      }),
    );
  }
  app.use(async (c, next) => {
    // HTTP/1.1 has no body without one of these headers; skipping the check then spares building
    // a full fetch Request for every GET (a third of a token check's cost, measured).
    const mayHaveBody = c.req.header('content-length') || c.req.header('transfer-encoding');
    return !mayHaveBody || OWN_BODY_LIMIT.test(c.req.path) ? next() : defaultLimit(c, next);
  });
  app.use(async (c, next) => {
    // A NUL decoded from a path parameter or a query value can never name anything we store.
    if (/%00/i.test(c.req.url)) throw unstorableText();
    await next();
  });

  registerRoutes(app);

  const allowedOn = allowedMethods(app, isMissingAsset);
  app.notFound((c) => {
    const { path } = c.req;
    // HEAD is answered with GET's headers, whose Content-Length counts GET's body: the detail
    // names GET so that the two bodies, and so the two lengths, are the same (RFC 9110, 8.6).
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    const allowed = allowedOn(path);
    if (allowed.length === 0) {
      return problemResponse(c, new ApiError(404, 'not_found', `No route for ${method} ${path}.`));
    }
    const allow = allowed.join(', ');
    const detail = `${method} is not allowed on ${path}; it answers ${allow}.`;
    return problemResponse(c, new ApiError(405, 'method_not_allowed', detail, {}, { allow }));
  });
  app.onError((error, c) => {
    if (error instanceof ApiError) return problemResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(c, new ApiError(error.status, 'bad_request', error.message));
    }
    if (isUnstorableText(error)) {
      // PostgreSQL refuses NUL in text (SQLite stores it): the client's value, not our fault.
      services.logger.info({ reqId: c.get('requestId') }, 'unstorable text refused');
      return problemResponse(c, unstorableText());
    }
    services.logger.error({ err: error, reqId: c.get('requestId') }, 'request failed');
    if (isUnavailable(error)) {
      return problemResponse(c, new ApiError(503, 'unavailable', 'A dependency is unavailable.'));
    }
    // Never the internal message: it can name tables, paths or values.
    return problemResponse(c, new ApiError(500, 'internal', 'Something went wrong on our side.'));
  });
  return app;
}

const defaultLimit = limitBody(DEFAULT_BODY_LIMIT);

const unstorableText = () =>
  new ApiError(400, 'invalid_characters', 'A value holds a NUL character, which is never valid.');

/** PostgreSQL's refusal of a NUL byte (or invalid UTF-8) in a text value. */
function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}

// Network errors, PostgreSQL's shutdown (57P0x), connection (08xxx) and resource (53xxx) classes,
// and SQLite still locked after its busy timeout.
const UNAVAILABLE_CODES =
  /^(ECONN(REFUSED|RESET)|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|57P0[1-3]|08...|53...|SQLITE_BUSY)$/;
// node-postgres reports a dropped or impossible connection without a code, only in words.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|encountered a connection error/;

/** Connection-level failures of the database: the caller may retry later. */
export function isUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}
