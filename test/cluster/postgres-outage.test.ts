import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startTestServer,
  type TestServer,
} from '../support/server.js';

let postgres: TestPostgres;
let server: TestServer;
beforeAll(async () => {
  postgres = await startPostgres();
  const saved = process.env.TEST_POSTGRES_URL;
  process.env.TEST_POSTGRES_URL = postgres.url;
  try {
    server = await startTestServer();
  } finally {
    if (saved === undefined) delete process.env.TEST_POSTGRES_URL;
    else process.env.TEST_POSTGRES_URL = saved;
  }
}, 60_000);
afterAll(async () => {
  await server?.stop().catch(() => undefined);
  postgres?.destroy();
});

describe('when PostgreSQL goes away', () => {
  it('answers 503 problems, never a crash, and recovers by itself when it returns', async () => {
    const session = await login(server, ADMIN_EMAIL, ADMIN_PASSWORD);
    const pat = await issuePat(server, session);
    postgres.stop();

    for (const [method, path, token] of [
      ['GET', '/verify', pat],
      ['GET', '/me', session],
      ['POST', '/token', session],
    ] as const) {
      const reply = await call(server, method, path, token ? { token } : {});
      expectStatus(reply, 503);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      expect(reply.text).not.toMatch(/ECONNREFUSED|postgres|127\.0\.0\.1/i);
    }
    const health503 = await call(server, 'GET', '/health');
    expectStatus(health503, 503);
    expect(health503.body).toMatchObject({
      status: 'unavailable',
      checks: { database: 'unavailable' },
    });
    const login503 = await call(server, 'POST', '/login', {
      json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expectStatus(login503, 503);

    postgres.start();
    let health = await call(server, 'GET', '/health');
    for (let i = 0; i < 50 && health.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      health = await call(server, 'GET', '/health');
    }
    expectStatus(health, 200);
    expectStatus(await call(server, 'GET', '/verify', { token: pat }), 200);
    expectStatus(await call(server, 'GET', '/me', { token: session }), 200);
  });
});
