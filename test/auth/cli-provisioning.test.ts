import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, login } from '../support/client.js';
import { runCli } from '../support/cli.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.databaseUrl, ABS_LOG_LEVEL: 'warn' };
});
afterAll(() => server.stop());

describe("abs-auth CLI on the server's database", { timeout: 120_000 }, () => {
  it('provisions an operator whose token verifies with runtime:read runtime:write', async () => {
    const created = await runCli(
      ['user', 'create', '--email', 'Ops@Example.test', '--role', 'operator', '--password-stdin'],
      env,
      'operator-password-1\n',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toMatch(/^usr_[0-9a-z]{16}$/);

    const issued = await runCli(
      [
        'token',
        'issue',
        '--email',
        'ops@example.test',
        '--name',
        'agent',
        '--environment',
        'production',
      ],
      env,
    );
    expect(issued.code, issued.stderr).toBe(0);
    const secret = issued.stdout.trim();
    expect(issued.stdout).toMatch(/^abs_pat_[0-9A-Za-z]{38}\n$/);

    const verified = await call(server, 'GET', '/verify', { token: secret });
    expectStatus(verified, 200);
    expect(verified.body).toMatchObject({ role: 'operator', scope: 'runtime:read runtime:write' });
    expect(verified.body.email).toBe('ops@example.test');
    await login(server, 'ops@example.test', 'operator-password-1');

    const listed = await runCli(['token', 'list', '--email', 'ops@example.test'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(verified.body.tokenId);
    expect(listed.stdout).not.toContain(secret);

    const revoked = await runCli(['token', 'revoke', verified.body.tokenId], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expectStatus(await call(server, 'GET', '/verify', { token: secret }), 401);
  });

  it('creates organizations, enterprise ones with self-service off, and lists users', async () => {
    const org = await runCli(['org', 'create', '--name', 'Acme', '--enterprise'], env);
    expect(org.code, org.stderr).toBe(0);
    const orgId = org.stdout.trim();
    expect(orgId).toMatch(/^org_/);
    const row = await server.services.db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(row.self_service_tokens).toBe(0);
    const user = await runCli(
      ['user', 'create', '--email', 'eve@acme.test', '--role', 'viewer', '--org', orgId],
      env,
    );
    expect(user.code, user.stderr).toBe(0);
    const listed = await runCli(['user', 'list', '--org', orgId], env);
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
    expect(listed.stdout).toContain('eve@acme.test\tviewer\tactive');
  });

  it('fails clearly, with a non-zero exit, on bad input', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['user', 'create', '--email', 'x@y.test', '--role', 'root'], /--role/],
      [['token', 'issue', '--email', 'nobody@example.test'], /no user/],
      [
        ['token', 'issue', '--email', 'ops@example.test', '--expires-in-days', '400'],
        /expires-in-days/,
      ],
      [['token', 'issue', '--email', 'ops@example.test', '--scope', 'admin:manage'], /--scope/],
      [
        ['user', 'create', '--email', 'ops@example.test', '--role', 'viewer', '--org', 'org_x'],
        /org/,
      ],
      [['token', 'revoke', 'tok_doesnotexist00'], /no token/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });

  it('refuses a second user with the same email in another case', async () => {
    const again = await runCli(
      [
        'user',
        'create',
        '--email',
        'OPS@example.test',
        '--role',
        'viewer',
        '--org',
        (await orgOf()).id,
      ],
      env,
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
  });
});

async function orgOf() {
  return server.services.db
    .selectFrom('organizations')
    .select('id')
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
}
