import { Hono } from 'hono';
import { z } from 'zod';
import { organizationView, updateOrgSettings } from '../../admin/org-settings.js';
import { readJson } from '../../http/body.js';
import type { AppEnv } from '../../http/env.js';
import { ApiError } from '../../http/problem.js';
import { findOrganization } from '../../store/organizations.js';
import { actorOf, adminError, adminOnly, organizationWide } from './errors.js';

export const adminOrgRoutes = new Hono<AppEnv>();

const SettingsBody = z.object({
  selfServiceTokens: z.boolean().optional(),
  githubSignup: z.boolean().optional(),
});

adminOrgRoutes.get('/admin/org', adminOnly, async (c) => {
  const org = await findOrganization(c.get('services').db, c.get('principal').orgId);
  if (!org) throw new ApiError(404, 'organization_not_found', 'No such organization.');
  return c.json({ organization: organizationView(org) });
});

adminOrgRoutes.patch('/admin/org', organizationWide, async (c) => {
  const body = await readJson(c, SettingsBody);
  const orgId = c.get('principal').orgId;
  const outcome = await updateOrgSettings(c.get('services'), orgId, body, actorOf(c));
  if (!outcome.ok) throw adminError(outcome);
  return c.json({ organization: organizationView(outcome.organization) });
});
