import { Hono } from 'hono';
import { z } from 'zod';
import { appendAudit } from '../audit/ledger.js';
import { grantableScopes, MAX_TOKEN_DAYS, mintToken } from '../auth/pats.js';
import { ENVIRONMENTS } from '../config.js';
import { readJson } from '../http/body.js';
import { displayName } from '../text.js';
import type { AppEnv } from '../http/env.js';
import { requestOrigin, requireAuth } from '../http/guard.js';
import { ApiError } from '../http/problem.js';
import { budgeted } from '../http/rate-limit.js';
import { findOrganization } from '../store/organizations.js';
import { findToken, listUserTokens, revokeToken, toTokenMetadata } from '../store/tokens.js';
import { findUserById } from '../store/users.js';

export const tokenRoutes = new Hono<AppEnv>();

/** A signed-in user managing their own tokens, within their management budget. */
const selfService = budgeted(requireAuth({ accept: 'session' }));

/** What any caller may ask of a new token; shared by self-service and white-glove issuance. */
export const TokenRequestBody = z.object({
  name: displayName(100).optional(),
  environment: z.enum(ENVIRONMENTS).optional(),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).optional(),
  scope: z.string().max(200).optional(),
});

tokenRoutes.post('/token', selfService, async (c) => {
  const body = await readJson(c, TokenRequestBody, { optional: true });
  const services = c.get('services');
  const principal = c.get('principal');
  const user = await findUserById(services.db, principal.userId);
  const org = user && (await findOrganization(services.db, user.orgId));
  if (!user || !org) throw new ApiError(401, 'invalid_token', 'The user no longer exists.');
  if (!org.selfServiceTokens && user.role !== 'admin') {
    throw new ApiError(
      403,
      'self_service_disabled',
      'Your organization issues tokens through its administrators. ' +
        'Ask your administrator (or account manager) for a token.',
    );
  }
  const scopes = grantableScopes(user, body.scope);
  if (!scopes.ok) throw new ApiError(400, 'validation_failed', scopes.detail);
  const now = services.now();
  const issued = await services.db.transaction().execute((tx) =>
    mintToken(tx, {
      owner: user,
      scopes: scopes.scopes,
      request: { ...body, environment: body.environment ?? services.config.environment },
      issuedBy: user.id,
      now,
      audit: { actor: { type: 'user', id: user.id }, ...requestOrigin(c) },
    }),
  );
  services.logger.info({ tokenId: issued.tokenId, userId: user.id }, 'token issued');
  return c.json(issued, 201);
});

tokenRoutes.get('/tokens', selfService, async (c) => {
  const services = c.get('services');
  const rows = await listUserTokens(services.db, c.get('principal').userId);
  const now = services.now();
  return c.json({ data: rows.map((row) => toTokenMetadata(row, now)) });
});

tokenRoutes.delete('/tokens/:id', selfService, async (c) => {
  const services = c.get('services');
  const principal = c.get('principal');
  const id = c.req.param('id');
  const token = await findToken(services.db, id);
  // Someone else's token is indistinguishable from one that does not exist.
  if (!token || token.user_id !== principal.userId) {
    throw new ApiError(404, 'token_not_found', 'No such token.');
  }
  const now = services.now();
  await services.db.transaction().execute(async (tx) => {
    if (!(await revokeToken(tx, id, now))) return;
    await appendAudit(
      tx,
      {
        orgId: principal.orgId,
        actor: { type: 'user', id: principal.userId },
        action: 'token.revoked',
        target: { type: 'token', id },
        details: { ownerId: token.user_id },
        ...requestOrigin(c),
      },
      now,
    );
  });
  services.logger.info({ tokenId: id, actorId: principal.userId }, 'token revoked');
  return c.body(null, 204);
});
