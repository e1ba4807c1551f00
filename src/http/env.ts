import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Principal } from '../auth/principal.js';
import type { Services } from '../services.js';

/** Per-request values every handler can read with `c.get(…)`. */
export interface AppEnv {
  /** The node:http request and response under the fetch-API ones (set by @hono/node-server). */
  Bindings: HttpBindings;
  Variables: {
    services: Services;
    requestId: string;
    clientIp: string;
    principal: Principal;
    /** The body as text, once `limitBody` has read it (see `readJson`). */
    bodyBytes: Buffer | undefined;
  };
}

export type App = Hono<AppEnv>;
