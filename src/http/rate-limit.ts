import type { Context, MiddlewareHandler, Next } from 'hono';
import type { Principal } from '../auth/principal.js';
import { parseRateLimit, type RateLimitDecision, type RateLimitPolicy } from '../limits/policy.js';
import type { AppEnv } from './env.js';
import { identify, refusal, requireAuth } from './guard.js';
import { ApiError } from './problem.js';

/** Who spends a budget; the name is the policy name in the RateLimit headers. */
interface Partition {
  name: 'token' | 'session' | 'address' | 'management';
  key: string;
  policy: RateLimitPolicy;
}

// Used only for the dashboard's cookie: the shared guard owns the CSRF rule that applies to it,
// and reads the session once more to apply it (a cost only the dashboard's requests pay).
const cookieGuard = requireAuth({ accept: 'any' });

/**
 * The gate in front of every runtime route: who is calling, then whether their budget allows
 * it, then (only then) a refusal of a bad credential. Identification comes first because the
 * budget belongs to the token; a request without a valid credential spends its client address's
 * budget, so guessing tokens is throttled too, and a refusal past the budget is a plain 429 that
 * adds nothing to the audit log. Every answer behind the gate carries the `RateLimit-Policy` and
 * `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers.
 */
export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const outcome = await identify(c);
    const principal = outcome.ok ? outcome.principal : undefined;
    await spend(c, partitionOf(c, principal));
    if (!outcome.ok) throw await refusal(c, outcome);
    if (outcome.principal.kind === 'session' && outcome.principal.viaCookie) {
      return cookieGuard(c, next);
    }
    c.set('principal', outcome.principal);
    await next();
  };
}

/**
 * After a route's guard, on the routes that manage users and tokens (`/admin/*`, `/token*`): each
 * person spends one budget there, `ABS_MANAGEMENT_RATE_LIMIT`, shared by all their sessions and
 * tokens and apart from their `/v1` budgets, so that neither starves the other. Keyed by the
 * person, not the credential: credentials are what these routes make, and a budget per credential
 * let a token mint tokens, each with a fresh budget, without bound. A token's own `rateLimit` is
 * a runtime budget and does not apply here. Requests the guard refuses spend nothing: they end
 * before any write, and `/v1`'s address budget is where guessing is throttled.
 */
export async function managementBudget(c: Context<AppEnv>, next: Next): Promise<void> {
  const policy = c.get('services').config.managementRateLimit;
  const key = `mgmt:user:${c.get('principal').userId}`;
  await spend(c, { name: 'management', key, policy });
  await next();
}

/** A route's guard, then (only for a caller it lets through) the management budget. */
export function budgeted(guard: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return (c, next) => guard(c, () => managementBudget(c, next));
}

/**
 * A budget per client address (`ABS_RATE_LIMIT`), for a route anyone may call that writes: the
 * start of a GitHub sign-in stores a state row, and without a budget one client could store a
 * thousand a second. Apart from `/v1`'s address budget, so neither starves the other.
 */
export function addressBudget(area: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const policy = c.get('services').config.rateLimit;
    await spend(c, { name: 'address', key: `${area}:ip:${c.get('clientIp')}`, policy });
    await next();
  };
}

/** Counts the request against the partition's budget; past it, a 429 with `Retry-After`. */
async function spend(c: Context<AppEnv>, partition: Partition): Promise<void> {
  const services = c.get('services');
  const decision = await services.limits.hit(partition.key, partition.policy, services.now());
  setRateLimitFields(c, partition.name, decision);
  if (decision.allowed) return;
  services.logger.info(
    { reqId: c.get('requestId'), partition: partition.name, key: partition.key },
    'rate limited',
  );
  throw tooManyRequests(partition.name, decision);
}

function partitionOf(c: Context<AppEnv>, principal: Principal | undefined): Partition {
  const services = c.get('services');
  const fallback = services.config.rateLimit;
  if (principal?.kind === 'pat') {
    const own = principal.rateLimit === null ? undefined : parseRateLimit(principal.rateLimit);
    if (principal.rateLimit !== null && !own) {
      services.logger.warn({ tokenId: principal.tokenId }, 'token rate limit unreadable');
    }
    return { name: 'token', key: `v1:tok:${principal.tokenId}`, policy: own ?? fallback };
  }
  if (principal?.kind === 'session') {
    return { name: 'session', key: `v1:ses:${principal.sessionId}`, policy: fallback };
  }
  return { name: 'address', key: `v1:ip:${c.get('clientIp')}`, policy: fallback };
}

/** Structured fields (RFC 9651) as the draft's -11 revision writes them. */
function setRateLimitFields(c: Context<AppEnv>, name: string, d: RateLimitDecision): void {
  c.header('ratelimit-policy', `"${name}";q=${d.limit};w=${d.windowSeconds}`);
  c.header('ratelimit', `"${name}";r=${d.remaining};t=${d.resetSeconds}`);
}

function tooManyRequests(name: Partition['name'], decision: RateLimitDecision): ApiError {
  const wait = decision.resetSeconds;
  return new ApiError(
    429,
    'rate_limited',
    `The ${name} budget of ${decision.limit} requests per ${decision.windowSeconds} s is spent; ` +
      `retry in ${wait} s.`,
    { retryAfter: wait, 'violated-policies': [name] },
    { 'retry-after': String(wait) },
  );
}
