import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { authenticateSecret } from '../auth/authenticate.js';
import type { AuthOutcome, Principal } from '../auth/principal.js';
import { newId } from '../ids.js';
import { formatScope } from '../roles.js';
import type { Services } from '../services.js';
import { iso } from '../time.js';
import { ClientAddressResolver } from './client-ip.js';
import type { AppEnv } from './env.js';
import { bearerSecret } from './guard.js';
import { apiHeaders } from './middleware.js';
import { problemBody } from './problem.js';
import { logRequest } from './request-log.js';

/** The `GET /verify` answer for a credential that is valid now. */
export function verifyView(p: Principal) {
  return {
    active: true,
    type: p.kind,
    tokenId: p.kind === 'pat' ? p.tokenId : p.sessionId,
    userId: p.userId,
    email: p.email,
    role: p.role,
    scope: formatScope(p.scopes),
    environment: p.kind === 'pat' ? p.environment : null,
    expiresAt: iso(p.expiresAt),
  };
}

/** Refusals the fast path found, handed to the app's `/verify` route to answer. */
const refused = new WeakMap<IncomingMessage, AuthOutcome>();

/** The outcome the fast path already reached for this request, if it stepped aside after one. */
export function fastPathOutcome(req: IncomingMessage): AuthOutcome | undefined {
  return refused.get(req);
}

export function outcomeFromFastPath(c: Context<AppEnv>): AuthOutcome | undefined {
  const incoming = c.env?.incoming;
  return incoming ? fastPathOutcome(incoming) : undefined;
}

/**
 * `GET /verify` with a bearer token answered straight on node:http, in front of the app. A token
 * check sits in front of every agent action, and the fetch-API layer (Request, Headers and
 * Response objects built and taken apart for each request) cost more than the check itself
 * (see bench/findings.md). Only the common case is taken here: a bodiless GET of exactly
 * `/verify` with an Authorization header and no Origin, whose token is valid. Everything else,
 * a refusal included, goes to the app, which answers it as for any other route; a refusal's
 * outcome is passed along so the credential is not looked up twice. The check itself is the
 * same `authenticateSecret` every route uses, and the answer carries the same headers.
 */
export function withFastVerify(services: Services, app: RequestListener): RequestListener {
  const addresses = new ClientAddressResolver(services.config.trustProxy);
  const headers = Object.fromEntries(apiHeaders(services.config.publicUrl.startsWith('https:')));
  return (req, res) => {
    if (!takesFastPath(req)) return app(req, res);
    const started = performance.now();
    // A malformed header is the app's to refuse, in the words every route uses.
    const secret = bearerSecret(req.headers.authorization!);
    if (secret === undefined) return app(req, res);
    authenticateSecret(services, secret, { viaCookie: false })
      .then(
        (outcome) => {
          if (!outcome.ok) {
            refused.set(req, outcome);
            return app(req, res);
          }
          const body = JSON.stringify(verifyView(outcome.principal));
          answerSoon(() => {
            try {
              const reqId = newId('req');
              res.writeHead(200, {
                ...headers,
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
                'x-request-id': reqId,
              });
              res.end(body);
              const ip = addresses.resolve(req.socket.remoteAddress, forwardedFor(req));
              const line = { reqId, method: 'GET', path: '/verify', status: 200, started, ip };
              logRequest(services.logger, line);
            } catch (error) {
              failed(services, res, error);
            }
          });
        },
        // A failing database is the app's to report: it maps the error and logs it like any other.
        () => app(req, res),
      )
      .catch((error: unknown) => failed(services, res, error));
  };
}

/** Answers that are ready, waiting for the end of this turn of the event loop. */
const ready: Array<() => void> = [];

/**
 * Sends an answer once the requests that arrived in this turn of the event loop have all been
 * checked, together with theirs. Written one by one, each answer woke the client on its own;
 * back to back, one wake-up serves several, and the machine spends less on each: 65 against
 * 53 µs of CPU a check, and a third more checks a second (measured, bench/findings.md). An
 * answer waits at most for the other checks of its turn, each a few microseconds.
 */
function answerSoon(send: () => void): void {
  ready.push(send);
  if (ready.length === 1) setImmediate(sendReady);
}

function sendReady(): void {
  for (const send of ready.splice(0)) send();
}

/**
 * A fault of this path itself (never expected): a logged 500, never an unhandled rejection, which
 * would end the process.
 */
function failed(services: Services, res: ServerResponse, error: unknown): void {
  services.logger.error({ err: error }, 'verify fast path failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const problem = problemBody(500, 'internal', 'Something went wrong on our side.');
  res.writeHead(500, { 'content-type': 'application/problem+json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(problem));
}

function takesFastPath(req: IncomingMessage): boolean {
  const h = req.headers;
  return (
    req.method === 'GET' &&
    req.url === '/verify' &&
    h.authorization !== undefined &&
    h.origin === undefined &&
    h['content-length'] === undefined &&
    h['transfer-encoding'] === undefined &&
    authorizationCount(req.rawHeaders) === 1
  );
}

/**
 * How many Authorization headers came. node:http keeps only the first in `headers`, where the
 * app sees them all joined and refuses the request: a second header must not be ignored here
 * (a proxy in front may have decided on the other one).
 */
function authorizationCount(raw: string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') count += 1;
  }
  return count;
}

function forwardedFor(req: IncomingMessage): string | undefined {
  const value = req.headers['x-forwarded-for'];
  return Array.isArray(value) ? value.join(',') : value;
}
