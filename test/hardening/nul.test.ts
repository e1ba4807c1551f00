import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/client.js';
import { expectUnchanged, snapshot } from './digest.js';
import { startWorld, type World } from './world.js';

// PostgreSQL cannot store NUL in text and answers such a value with an error; SQLite stores it.
// These requests once reached PostgreSQL and came back as 500s.

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.stop());

describe('a NUL character from the client', () => {
  it('is refused in a path parameter or a query value with 400 before any lookup', async () => {
    const paths = [
      ['GET', '/admin/users/%00'],
      ['DELETE', '/admin/tokens/usr%00x'],
      ['DELETE', '/tokens/%00'],
      ['GET', '/admin/audit?action=%00'],
      ['GET', '/admin/tokens?userId=a%00'],
    ] as const;
    const before = await snapshot(world.server.services.db);
    for (const [method, path] of paths) {
      const reply = await call(world.server, method, path, { token: world.adminSession });
      expect(reply.status, `${path}: ${reply.text}`).toBe(400);
      expect(reply.body.code).toBe('invalid_characters');
    }
    expectUnchanged(before, await snapshot(world.server.services.db), 'NUL in URLs');
  });

  it('is refused in a token name with 400 naming the field', async () => {
    const reply = await call(world.server, 'POST', '/token', {
      token: world.adminSession,
      json: { name: 'ci\u0000bot' },
    });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body.detail).toMatch(/^name: must not contain control characters/);
  });

  it('inside a cursor or a body field is never a 5xx, and a refusal stores nothing', async () => {
    const cursor = Buffer.from(JSON.stringify([1, '\u0000'])).toString('base64url');
    const before = await snapshot(world.server.services.db);
    const listed = await call(world.server, 'GET', `/admin/tokens?cursor=${cursor}`, {
      token: world.adminSession,
    });
    expect(listed.status, listed.text).toBeLessThan(500);
    const created = await call(world.server, 'POST', '/admin/users', {
      token: world.adminSession,
      json: { email: 'nul-name@example.test', role: 'viewer', name: 'a\u0000b' },
    });
    // Names refuse every control character at validation, on SQLite and PostgreSQL alike.
    expect(created.status, created.text).toBe(400);
    expect(created.body.code).toBe('validation_failed');
    expect(created.body.detail).toMatch(/^name:/);
    expectUnchanged(before, await snapshot(world.server.services.db), 'NUL in a name');
  });
});
