import { Hono } from 'hono';
import { z } from 'zod';
import { changeUser, deleteUser } from '../../admin/user-changes.js';
import { createUser, userView } from '../../admin/users.js';
import { parseWith, readJson } from '../../http/body.js';
import { displayName, EmailAddress } from '../../text.js';
import type { AppEnv } from '../../http/env.js';
import { ApiError } from '../../http/problem.js';
import { PASSWORD_MAX_LENGTH } from '../../passwords.js';
import { ROLES } from '../../roles.js';
import { findOrgUser, listUsers } from '../../store/users.js';
import { actorOf, adminError, adminOnly, organizationWide } from './errors.js';
import { DEFAULT_PAGE, decodeCursor, page, PageQuery } from './paging.js';

export const adminUserRoutes = new Hono<AppEnv>();

const Name = displayName(100);

const CreateBody = z.object({
  email: EmailAddress,
  role: z.enum(ROLES),
  name: Name.optional(),
  password: z.string().max(PASSWORD_MAX_LENGTH).optional(),
});

const PatchBody = z.object({
  role: z.enum(ROLES).optional(),
  name: Name.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

adminUserRoutes.get('/admin/users', adminOnly, async (c) => {
  const query = parseWith(PageQuery, c.req.query());
  const limit = query.limit ?? DEFAULT_PAGE;
  const after = query.cursor ? decodeCursor(query.cursor, z.tuple([z.string()]))[0] : undefined;
  const orgId = c.get('principal').orgId;
  const rows = await listUsers(c.get('services').db, { orgId, after, limit: limit + 1 });
  return c.json(page(rows, limit, userView, (u) => [u.id]));
});

adminUserRoutes.post('/admin/users', organizationWide, async (c) => {
  const body = await readJson(c, CreateBody);
  const services = c.get('services');
  const input = { ...body, orgId: c.get('principal').orgId };
  const outcome = await createUser(services, input, actorOf(c));
  if (!outcome.ok) throw adminError(outcome);
  return c.json({ user: userView(outcome.user) }, 201);
});

adminUserRoutes.get('/admin/users/:id', adminOnly, async (c) => {
  const user = await findOrgUser(c.get('services').db, c.get('principal').orgId, c.req.param('id'));
  if (!user) throw new ApiError(404, 'user_not_found', 'No such user.');
  return c.json({ user: userView(user) });
});

adminUserRoutes.patch('/admin/users/:id', organizationWide, async (c) => {
  const body = await readJson(c, PatchBody);
  const where = { orgId: c.get('principal').orgId };
  const outcome = await changeUser(c.get('services'), where, c.req.param('id'), body, actorOf(c));
  if (!outcome.ok) throw adminError(outcome);
  return c.json({ user: userView(outcome.user) });
});

adminUserRoutes.delete('/admin/users/:id', organizationWide, async (c) => {
  const where = { orgId: c.get('principal').orgId };
  const outcome = await deleteUser(c.get('services'), where, c.req.param('id'), actorOf(c));
  if (!outcome.ok) throw adminError(outcome);
  return c.body(null, 204);
});
