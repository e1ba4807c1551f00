import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { freshDatabase, type FreshDatabase } from '../support/server.js';
import { runCli } from '../support/cli.js';

// Two server processes on one database (PostgreSQL when TEST_POSTGRES_URL is set, else one SQLite
// file) and one Redis: whatever one instance is told, the other enforces on its next request.
let database: FreshDatabase;
let redis: TestRedis;
let a: ServerProcess;
let b: ServerProcess;
const ADMIN = { email: 'root@cluster.test', password: 'cluster-admin-password' };

beforeAll(async () => {
  database = await freshDatabase();
  redis = await startRedis();
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    ABS_ADMIN_EMAIL: ADMIN.email,
    ABS_ADMIN_PASSWORD: ADMIN.password,
    ABS_RATE_LIMIT: '10/60s',
  };
  // Started at the same moment: they race to migrate and to bootstrap.
  [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
}, 90_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis.stop();
  await database.drop();
});

async function newOperator() {
  const email = `op-${Math.random().toString(36).slice(2, 8)}@cluster.test`;
  const created = await runCli(
    ['user', 'create', '--email', email, '--role', 'operator', '--password-stdin'],
    { DATABASE_URL: database.url, ABS_LOG_LEVEL: 'warn' },
    'operator-password-123\n',
  );
  expect(created.code, created.stderr).toBe(0);
  return { id: created.stdout.trim(), email, password: 'operator-password-123' };
}

describe('two instances behind one database and one Redis', { timeout: 60_000 }, () => {
  it('migrated once and bootstrapped exactly one organization and admin', async () => {
    const users = await runCli(['user', 'list'], { DATABASE_URL: database.url });
    expect(users.code, users.stderr).toBe(0);
    expect(users.stdout.trim().split('\n')).toHaveLength(1);
    expect(users.stdout).toContain(`${ADMIN.email}\tadmin\tactive`);
    const orgs = await runCli(['org', 'list'], { DATABASE_URL: database.url });
    expect(orgs.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('refuses on B a token revoked on A, on the very next request', async () => {
    const session = await login(a, ADMIN.email, ADMIN.password);
    const pat = await issuePat(a, session);
    const id = (await call(b, 'GET', '/verify', { token: pat })).body.tokenId;
    expectStatus(await call(b, 'GET', '/verify', { token: pat }), 200);
    expectStatus(await call(a, 'DELETE', `/tokens/${id}`, { token: session }), 204);
    expectStatus(await call(b, 'GET', '/verify', { token: pat }), 401);
  });

  it('refuses on B a session that logged out on A', async () => {
    const session = await login(b, ADMIN.email, ADMIN.password);
    expectStatus(await call(a, 'GET', '/me', { token: session }), 200);
    expectStatus(await call(a, 'POST', '/logout', { token: session }), 204);
    expectStatus(await call(b, 'GET', '/me', { token: session }), 401);
  });

  it("enforces on B a user disabled through A's database", async () => {
    const op = await newOperator();
    const session = await login(b, op.email, op.password);
    const pat = await issuePat(b, session);
    expectStatus(await call(a, 'GET', '/verify', { token: pat }), 200);
    const disabled = await runCli(['user', 'disable', op.id], { DATABASE_URL: database.url });
    expect(disabled.code, disabled.stderr).toBe(0);
    expectStatus(await call(b, 'GET', '/verify', { token: pat }), 401);
    expectStatus(await call(a, 'GET', '/me', { token: session }), 401);
  });

  it('keeps one linear audit chain while both sign people in at once', async () => {
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        call(i % 2 ? a : b, 'POST', '/login', {
          json: { email: ADMIN.email, password: i % 4 ? ADMIN.password : 'wrong-password-x' },
        }),
      ),
    );
    const verified = await runCli(['audit', 'verify'], { DATABASE_URL: database.url });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it('takes writes through both at once, each waiting its turn instead of failing', async () => {
    const session = await login(a, ADMIN.email, ADMIN.password);
    const owner = await newOperator();
    const issue = (via: ServerProcess) =>
      call(via, 'POST', `/admin/users/${owner.id}/tokens`, { token: session, json: {} });
    const issued = await Promise.all(Array.from({ length: 6 }, (_, i) => issue(i % 2 ? a : b)));
    for (const reply of issued) expectStatus(reply, 201);
    // Each of these reads a token, then writes it: on SQLite, a transaction that began by
    // reading could not wait for the other process's write lock and failed at once.
    const writes = issued.flatMap((reply, i) => {
      const id = reply.body.tokenId as string;
      const via = i % 2 ? b : a;
      return [
        call(via, 'POST', `/admin/tokens/${id}/rotate`, { token: session, json: {} }),
        call(i % 2 ? a : b, 'PATCH', `/admin/tokens/${id}`, {
          token: session,
          json: { rateLimit: `${i + 1}/60s` },
        }),
        issue(via),
      ];
    });
    const replies = await Promise.all(writes);
    // A limit change that comes after the rotation meets a token rotated out with no grace: 409.
    const statuses = replies.map((r) => (r.status === 409 ? `409 ${r.body.code}` : r.status));
    // On PostgreSQL, a rotation and a limit change of the same token once deadlocked (500).
    const errors = (a.output() + b.output()).match(/"level":"error".{0,300}/g) ?? [];
    expect(
      statuses.every((status) => [200, 201, '409 token_expired'].includes(status)),
      `${statuses.join(',')}\n${errors.join('\n')}`,
    ).toBe(true);
    expect(a.output() + b.output()).not.toMatch(/database is locked|SQLITE_BUSY/);
  });

  it('shares one rate-limit budget across both instances', async () => {
    const session = await login(a, ADMIN.email, ADMIN.password);
    const pat = await issuePat(a, session);
    const statuses = [];
    for (let i = 0; i < 12; i++) {
      const reply = await call(i % 2 ? b : a, 'POST', '/v1/events/query', { token: pat, json: {} });
      statuses.push(reply.status);
    }
    expect(
      statuses.slice(0, 10).every((s) => s === 200),
      statuses.join(','),
    ).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('still refuses a revoked token when Redis is gone, and reports degraded', async () => {
    const session = await login(a, ADMIN.email, ADMIN.password);
    const pat = await issuePat(a, session);
    const id = (await call(a, 'GET', '/verify', { token: pat })).body.tokenId;
    expectStatus(await call(a, 'DELETE', `/tokens/${id}`, { token: session }), 204);
    await redis.kill();
    expectStatus(await call(b, 'GET', '/verify', { token: pat }), 401);
    const health = await call(b, 'GET', '/health');
    expectStatus(health, 200);
    expect(health.body).toMatchObject({ status: 'degraded', checks: { limits: 'degraded' } });
    await redis.restart();
  });
});
