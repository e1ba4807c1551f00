import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { adminOrgRoutes } from './org.js';
import { adminTokenRoutes } from './tokens.js';
import { adminUserRoutes } from './users.js';

/** The admin API (users, tokens, organization policy), confined to the caller's organization. */
export const adminRoutes = new Hono<AppEnv>();
for (const group of [adminUserRoutes, adminTokenRoutes, adminOrgRoutes]) {
  adminRoutes.route('/', group);
}
