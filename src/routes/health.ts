import { Hono } from 'hono';
import { ping } from '../db/migrations.js';
import type { AppEnv } from '../http/env.js';
import { VERSION } from '../version.js';

export const healthRoutes = new Hono<AppEnv>();

/** Readiness: 200 while the database answers; 503 naming the failing check otherwise. */
healthRoutes.get('/health', async (c) => {
  const services = c.get('services');
  const checks: Record<string, string> = {};
  let healthy = true;
  try {
    await ping(services.db);
    checks.database = 'ok';
  } catch {
    checks.database = 'unavailable';
    healthy = false;
  }
  checks.limits = services.limits.kind === 'memory' ? 'local' : 'ok';
  const status = healthy ? 'ok' : 'unavailable';
  return c.json({ status, version: VERSION, environment: services.config.environment, checks },
    healthy ? 200 : 503);
});
