import type { App } from '../http/env.js';
import { healthRoutes } from './health.js';
import { loginRoutes } from './login.js';
import { meRoutes } from './me.js';
import { tokenRoutes } from './tokens.js';
import { verifyRoutes } from './verify.js';

/** Every route group of the service, in one list. */
export function registerRoutes(app: App): void {
  for (const group of [healthRoutes, loginRoutes, meRoutes, tokenRoutes, verifyRoutes]) {
    app.route('/', group);
  }
}
