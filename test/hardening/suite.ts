import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectChainsIntact } from './digest.js';
import { send } from './http.js';
import { hammer } from './runner.js';
import { ROUTES, routeKey, type RouteSpec } from './routes.js';
import { startWorld, type World } from './world.js';

/** One describe block: a fresh server, generated requests to each route, then a health check. */
export function hostileSuite(title: string, select: (route: RouteSpec) => boolean): void {
  describe(title, () => {
    let world: World;
    beforeAll(async () => {
      world = await startWorld();
    });
    afterAll(async () => {
      await world?.stop();
    });

    for (const route of ROUTES.filter(select)) {
      const title = `answers generated hostile requests to ${routeKey(route)} without a 5xx`;
      it(title, async () => {
        const stats = await hammer(route, world);
        if (process.env.HOSTILE_STATS) console.log(routeKey(route), [...stats.statuses]);
        const health = await send(world.server, { method: 'GET', path: '/health' });
        expect(health.status).toBe(200);
      });
    }

    it('keeps every audit chain intact and logs no 5xx after the hostile runs', async () => {
      await expectChainsIntact(world.server.services.db);
      const failures = world.server.logs.filter((line) => /"status":5\d\d/.test(line));
      expect(failures).toEqual([]);
    });
  });
}
