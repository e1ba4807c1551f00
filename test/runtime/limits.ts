import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { expectStatus, type Reply } from '../support/client.js';
import type { TestServer } from '../support/server.js';

// Counters of a fixed window follow the server's clock; holding it still keeps every window
// whole for the length of a test. (With Redis, windows start at their first request instead.)
export function freezeClock(server: TestServer) {
  const now = Date.now();
  server.services.now = () => now;
}

/** A random documentation address (RFC 3849) that no other test uses: a fresh budget. */
export const freshAddress = () =>
  `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

export function limits(reply: Reply) {
  const policy = reply.headers.get('ratelimit-policy') ?? '';
  const field = reply.headers.get('ratelimit') ?? '';
  const p = /^"(\w+)";q=(\d+);w=(\d+)$/.exec(policy);
  const f = /^"(\w+)";r=(\d+);t=(\d+)$/.exec(field);
  expect(p, `RateLimit-Policy: ${policy}`).not.toBeNull();
  expect(f, `RateLimit: ${field}`).not.toBeNull();
  expect(f![1]).toBe(p![1]);
  const t = Number(f![3]);
  expect(t).toBeGreaterThanOrEqual(1);
  expect(t).toBeLessThanOrEqual(Number(p![3]));
  return { name: p![1], q: Number(p![2]), w: Number(p![3]), r: Number(f![2]), t };
}

export function expectTooMany(reply: Reply, name: string) {
  expectStatus(reply, 429);
  const l = limits(reply);
  expect(l).toMatchObject({ name, r: 0 });
  expect(reply.headers.get('retry-after')).toBe(String(l.t));
  expect(reply.body).toMatchObject({
    code: 'rate_limited',
    retryAfter: l.t,
    'violated-policies': [name],
  });
}
