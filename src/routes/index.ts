import type { App } from '../http/env.js';
import { adminAuditRoutes } from './admin/audit.js';
import { adminRoutes } from './admin/index.js';
import { dashboardRoutes } from './dashboard.js';
import { eventRoutes } from './events.js';
import { githubRoutes } from './github.js';
import { healthRoutes } from './health.js';
import { loginRoutes } from './login.js';
import { meRoutes } from './me.js';
import { passwordRoutes } from './password.js';
import { tokenRoutes } from './tokens.js';
import { verifyRoutes } from './verify.js';

/** Every route group of the service, in one list. */
export function registerRoutes(app: App): void {
  const groups = [
    healthRoutes,
    loginRoutes,
    meRoutes,
    passwordRoutes,
    tokenRoutes,
    verifyRoutes,
    adminRoutes,
    adminAuditRoutes,
    githubRoutes,
    eventRoutes,
  ];
  for (const group of groups) {
    app.route('/', group);
  }
  // Last, outside the list: its catch-all page must never answer before an API route.
  app.route('/', dashboardRoutes);
}
