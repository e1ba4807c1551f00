import { afterAll, describe, expect, it } from 'vitest';
import { call, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.stop())));

/** Twenty-one failed sign-ins for twenty-one different accounts, as one sender. */
async function sprayFailures(server: TestServer, forwardedFor: string) {
  const statuses = [];
  for (let i = 0; i < 21; i++) {
    const reply = await call(server, 'POST', '/login', {
      json: { email: `spray${i}@example.test`, password: 'not-the-password' },
      headers: { 'x-forwarded-for': forwardedFor },
    });
    statuses.push(reply.status);
  }
  return statuses;
}

describe('sign-in throttling per client address', () => {
  it('ignores X-Forwarded-For from an untrusted sender: changing it resets nothing', async () => {
    const server = await startTestServer();
    servers.push(server);
    const first = await sprayFailures(server, '198.51.100.1');
    expect(first.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(first[20]).toBe(429);
    const next = await call(server, 'POST', '/login', {
      json: { email: 'fresh@example.test', password: 'not-the-password' },
      headers: { 'x-forwarded-for': '203.0.113.77' },
    });
    expectStatus(next, 429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('believes a trusted proxy, giving each forwarded client its own budget', async () => {
    const server = await startTestServer({ ABS_TRUST_PROXY: '127.0.0.1' });
    servers.push(server);
    const first = await sprayFailures(server, '198.51.100.1');
    expect(first[20]).toBe(429);
    const other = await call(server, 'POST', '/login', {
      json: { email: 'fresh@example.test', password: 'not-the-password' },
      headers: { 'x-forwarded-for': '203.0.113.77' },
    });
    expectStatus(other, 401);
  });
});
