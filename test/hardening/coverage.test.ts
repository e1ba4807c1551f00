import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import type { Services } from '../../src/services.js';
import { ROUTES, routeKey } from './routes.js';

describe('the hostile-input suite', () => {
  it('covers every route the service registers, so a new route cannot skip it', () => {
    // Building the app reads only the configuration; no request is served.
    const app = createApp({ config: loadConfig({}) } as Services);
    const registered = new Set(app.routes.filter((route) => route.method !== 'ALL').map(routeKey));
    const covered = new Set(ROUTES.map(routeKey));
    expect([...registered].filter((key) => !covered.has(key)).sort()).toEqual([]);
    expect([...covered].filter((key) => !registered.has(key)).sort()).toEqual([]);
  });
});
