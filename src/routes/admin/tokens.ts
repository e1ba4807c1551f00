import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { MAX_GRACE_SECONDS, rotateToken } from '../../admin/rotation.js';
import type { Confinement } from '../../admin/outcome.js';
import { issueTokenFor, revokeTokenAsAdmin, setTokenLimit } from '../../admin/tokens.js';
import { ENVIRONMENTS } from '../../config.js';
import { parseWith, readJson } from '../../http/body.js';
import type { AppEnv } from '../../http/env.js';
import { formatRateLimit, parseRateLimit, RATE_LIMIT_RULE } from '../../limits/policy.js';
import { listOrgTokens, toTokenMetadata } from '../../store/tokens.js';
import { TokenRequestBody } from '../tokens.js';
import { actorOf, adminError, adminOnly } from './errors.js';
import { DEFAULT_PAGE, decodeCursor, page, PageQuery } from './paging.js';

export const adminTokenRoutes = new Hono<AppEnv>();

const ListQuery = PageQuery.extend({
  userId: z.string().min(1).max(100).optional(),
  environment: z.enum(ENVIRONMENTS).optional(),
  active: z.enum(['true', 'false']).optional(),
});

const Position = z.tuple([z.number().int().nonnegative(), z.string().max(100)]);

const RotateBody = z.object({
  gracePeriodSeconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).optional(),
});

/** A token's own rate limit as sent (`100/1m`), kept in the form `formatRateLimit` writes. */
const RateLimitText = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const policy = parseRateLimit(text);
    if (policy) return formatRateLimit(policy);
    ctx.addIssue({ code: 'custom', message: `must be ${RATE_LIMIT_RULE}` });
    return z.NEVER;
  });

const LimitBody = z.object({ rateLimit: RateLimitText.nullable() });

/** As `POST /token`, plus the rate limit the token starts with, set in the same transaction. */
const IssueBody = TokenRequestBody.extend({ rateLimit: RateLimitText.optional() });

/**
 * Where a caller may issue, rotate, revoke or limit tokens: their organization, and for a PAT only
 * its own environment (a staging credential must never produce, stop or throttle a production one).
 */
function issuing(c: Context<AppEnv>): Confinement {
  const principal = c.get('principal');
  const tokenEnvironment = principal.kind === 'pat' ? principal.environment : undefined;
  return { orgId: principal.orgId, tokenEnvironment };
}

adminTokenRoutes.post('/admin/users/:id/tokens', adminOnly, async (c) => {
  const { rateLimit, ...body } = await readJson(c, IssueBody, { optional: true });
  const services = c.get('services');
  const request = { ...body, environment: body.environment ?? services.config.environment };
  const where = issuing(c);
  const userId = c.req.param('id');
  const outcome = await issueTokenFor(services, where, userId, request, actorOf(c), rateLimit);
  if (!outcome.ok) throw adminError(outcome);
  return c.json(outcome.issued, 201);
});

adminTokenRoutes.get('/admin/tokens', adminOnly, async (c) => {
  const query = parseWith(ListQuery, c.req.query());
  const services = c.get('services');
  const limit = query.limit ?? DEFAULT_PAGE;
  const position = query.cursor ? decodeCursor(query.cursor, Position) : undefined;
  const now = services.now();
  const rows = await listOrgTokens(services.db, {
    orgId: c.get('principal').orgId,
    userId: query.userId,
    environment: query.environment,
    active: query.active === undefined ? undefined : query.active === 'true',
    now,
    after: position && { createdAt: position[0], id: position[1] },
    limit: limit + 1,
  });
  const view = (row: (typeof rows)[number]) => toTokenMetadata(row, now);
  return c.json(page(rows, limit, view, (row) => [row.created_at, row.id]));
});

adminTokenRoutes.post('/admin/tokens/:id/rotate', adminOnly, async (c) => {
  const body = await readJson(c, RotateBody, { optional: true });
  const services = c.get('services');
  const where = issuing(c);
  const grace = body.gracePeriodSeconds ?? 0;
  const outcome = await rotateToken(services, where, c.req.param('id'), grace, actorOf(c));
  if (!outcome.ok) throw adminError(outcome);
  return c.json(outcome.issued, 201);
});

adminTokenRoutes.patch('/admin/tokens/:id', adminOnly, async (c) => {
  const body = await readJson(c, LimitBody);
  const services = c.get('services');
  const id = c.req.param('id');
  const outcome = await setTokenLimit(services, issuing(c), id, body.rateLimit, actorOf(c));
  if (!outcome.ok) throw adminError(outcome);
  return c.json({ token: toTokenMetadata(outcome.token, services.now()) });
});

adminTokenRoutes.delete('/admin/tokens/:id', adminOnly, async (c) => {
  const services = c.get('services');
  const outcome = await revokeTokenAsAdmin(services, issuing(c), c.req.param('id'), actorOf(c));
  if (!outcome.ok) throw adminError(outcome);
  return c.body(null, 204);
});
