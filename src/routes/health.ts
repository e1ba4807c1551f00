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
  // Redis down degrades rate limiting to per-instance counters but keeps serving, so it is
  // reported without failing readiness (a 503 would pull every instance out of the balancer).
  checks.limits = await services.limits.health();
  const status = !healthy ? 'unavailable' : checks.limits === 'degraded' ? 'degraded' : 'ok';
  return c.json(
    { status, version: VERSION, environment: services.config.environment, checks },
    healthy ? 200 : 503,
  );
});
