import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectChainsIntact } from './digest.js';
import { send } from './http.js';
import { hammer, RUNS } from './runner.js';
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
      const name = `answers generated hostile requests to ${routeKey(route)} without a 5xx`;
      it(name, async () => {
        const stats = await hammer(route, world);
        if (process.env.HOSTILE_STATS) {
          console.log(routeKey(route), stats.reachedHandler, [...stats.statuses]);
        }
        // Depth: a good share must get past the gate, or the run tested only the gate.
        if (!route.consumesCredential) {
          expect(stats.reachedHandler, routeKey(route)).toBeGreaterThanOrEqual(RUNS / 6);
        }
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
