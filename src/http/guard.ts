import type { Context, MiddlewareHandler } from 'hono';
import { appendAudit } from '../audit/ledger.js';
import { authenticateSecret } from '../auth/authenticate.js';
import type { AuthOutcome, Principal } from '../auth/principal.js';
import { csrfTokenFor, type RequestOrigin } from '../auth/sessions.js';
import { safeEqual } from '../crypto/hash.js';
import type { Scope } from '../roles.js';
import { parseSecret } from '../secrets.js';
import { readSessionCookie } from './cookies.js';
import type { AppEnv } from './env.js';
import { ApiError } from './problem.js';
import { firstRefusalThisMinute } from './refusal-memo.js';

const REALM = 'Bearer realm="abs"';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requestOrigin(c: Context<AppEnv>): RequestOrigin {
  return { ip: c.get('clientIp') ?? null, userAgent: c.req.header('user-agent') ?? null };
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750), or undefined. */
export function bearerSecret(header: string): string | undefined {
  return /^Bearer +([\x21-\x7e]+) *$/i.exec(header)?.[1];
}

/** Who is calling: a bearer header first, else the dashboard's session cookie. */
export async function identify(c: Context<AppEnv>): Promise<AuthOutcome> {
  const header = c.req.header('authorization');
  const services = c.get('services');
  if (header !== undefined) {
    const secret = bearerSecret(header);
    if (secret === undefined) {
      return { ok: false, reason: 'malformed', detail: 'Authorization must be "Bearer <token>".' };
    }
    return authenticateSecret(services, secret, { viaCookie: false });
  }
  const cookie = readSessionCookie(c);
  // Only a session may ride in the cookie: a PAT planted there (by a sibling site tossing
  // cookies) would otherwise act for the browser without the CSRF check sessions get.
  if (cookie && parseSecret(cookie) !== 'session') {
    return { ok: false, reason: 'malformed', detail: 'The session cookie is not a session.' };
  }
  if (cookie) return authenticateSecret(services, cookie, { viaCookie: true });
  return { ok: false, reason: 'missing', detail: 'This request needs a bearer token.' };
}

/** The 401 for a refused credential, in RFC 6750's words; records refusals worth auditing. */
export async function refusal(
  c: Context<AppEnv>,
  outcome: Exclude<AuthOutcome, { ok: true }>,
  extra: Record<string, unknown> = {},
): Promise<ApiError> {
  await auditRefusal(c, outcome);
  if (outcome.reason === 'missing') {
    return new ApiError(401, 'missing_token', outcome.detail, extra, { 'www-authenticate': REALM });
  }
  const description = outcome.detail.replace(/["\\]/g, "'");
  const challenge = `${REALM}, error="invalid_token", error_description="${description}"`;
  const code = outcome.reason === 'wrong_environment' ? 'wrong_environment' : 'invalid_token';
  return new ApiError(401, code, outcome.detail, extra, { 'www-authenticate': challenge });
}

async function auditRefusal(c: Context<AppEnv>, outcome: Exclude<AuthOutcome, { ok: true }>) {
  const subject = outcome.subject;
  if (!subject) return;
  // A credential that exists but is refused is worth a record: someone holds it and uses it.
  const worthRecording =
    subject.kind === 'session'
      ? outcome.reason === 'expired' || outcome.reason === 'revoked'
      : ['wrong_environment', 'revoked', 'expired', 'disabled'].includes(outcome.reason);
  if (!worthRecording) return;
  const services = c.get('services');
  const key = `${subject.userId}:${subject.kind}:${outcome.reason}`;
  if (!firstRefusalThisMinute(key, services.now())) return;
  await services.db.transaction().execute((tx) =>
    appendAudit(
      tx,
      {
        orgId: subject.orgId,
        actor: { type: subject.kind === 'pat' ? 'token' : 'user', id: subject.id },
        action: subject.kind === 'pat' ? 'token.refused' : 'session.refused',
        target: { type: subject.kind === 'pat' ? 'token' : 'session', id: subject.id },
        outcome: 'denied',
        details: { reason: outcome.reason, userId: subject.userId },
        ...requestOrigin(c),
      },
      services.now(),
    ),
  );
}

export interface GuardOptions {
  /** `session`: only a signed-in person (the dashboard or a session bearer), never a PAT. */
  accept?: 'session' | 'any';
  scope?: Scope;
}

/** The one gate in front of every protected route. */
export function requireAuth(options: GuardOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const outcome = await identify(c);
    if (!outcome.ok) throw await refusal(c, outcome);
    const principal = outcome.principal;
    if (options.accept === 'session' && principal.kind !== 'session') {
      throw new ApiError(
        403,
        'session_required',
        'This needs a signed-in session; a Personal Access Token cannot do it.',
      );
    }
    if (principal.kind === 'session' && principal.viaCookie) checkCsrf(c, principal.secretHash);
    if (options.scope && !principal.scopes.includes(options.scope)) {
      throw await insufficientScope(c, principal, options.scope);
    }
    c.set('principal', principal);
    await next();
  };
}

export async function insufficientScope(
  c: Context<AppEnv>,
  principal: Principal,
  scope: Scope,
): Promise<ApiError> {
  const services = c.get('services');
  const key = `${principal.userId}:pat:scope:${scope}`;
  if (principal.kind === 'pat' && firstRefusalThisMinute(key, services.now())) {
    await services.db.transaction().execute((tx) =>
      appendAudit(
        tx,
        {
          orgId: principal.orgId,
          actor: { type: 'token', id: principal.tokenId },
          action: 'token.refused',
          target: { type: 'token', id: principal.tokenId },
          outcome: 'denied',
          details: { reason: 'insufficient_scope', needed: scope, userId: principal.userId },
          ...requestOrigin(c),
        },
        services.now(),
      ),
    );
  }
  const challenge = `${REALM}, error="insufficient_scope", scope="${scope}"`;
  return new ApiError(
    403,
    'insufficient_scope',
    `This needs the ${scope} scope.`,
    { scope },
    { 'www-authenticate': challenge },
  );
}

/**
 * A cookie rides along on cross-site requests, so a state change made with it must prove it came
 * from our own pages: the Origin (when sent) is ours and the session's CSRF token is echoed.
 */
function checkCsrf(c: Context<AppEnv>, secretHash: string): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header('origin');
  const ours = new URL(c.get('services').config.publicUrl).origin;
  const own = new URL(c.req.url).origin;
  if (origin !== undefined && origin !== ours && origin !== own) {
    throw new ApiError(403, 'csrf_failed', 'Cross-site requests are refused.');
  }
  const sent = c.req.header('x-csrf-token') ?? '';
  if (!safeEqual(sent, csrfTokenFor(secretHash))) {
    throw new ApiError(403, 'csrf_failed', 'The X-CSRF-Token header is missing or wrong.');
  }
}
