import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectChainsIntact, expectUnchanged, snapshot } from './digest.js';
import { send } from './http.js';
import { expectDeliberate, requestFor, RUNS, SEED } from './runner.js';
import { ROUTES } from './routes.js';
import { startWorld, type World } from './world.js';

const METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'PROPFIND'];

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.stop());

describe('any method on any route', () => {
  it('is answered deliberately, and a refused one changes nothing', async () => {
    // Each route's generated request, sent with a method the route may not have.
    const anyRoute = fc.constantFrom(...ROUTES.filter((route) => !route.consumesCredential));
    const request = anyRoute.chain((route) =>
      fc.tuple(requestFor(route, world), fc.constantFrom(...METHODS)),
    );
    await fc.assert(
      fc.asyncProperty(request, async ([generated, method]) => {
        const sent = { ...generated, method };
        const before = await snapshot(world.server.services.db);
        const reply = await send(world.server, sent);
        expectDeliberate(reply, sent);
        if (reply.status >= 400) {
          expectUnchanged(before, await snapshot(world.server.services.db), method);
        }
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
    const health = await send(world.server, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
    await expectChainsIntact(world.server.services.db);
  });
});
