import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/admin/users.js';
import { signInWithGithub, startGithubWorld, type GithubWorld } from '../github/browser.js';
import { githubPerson } from '../github/helpers.js';
import { adminOrgId, call, type Reply } from '../support/client.js';
import { makeUser } from '../support/fixtures.js';
import { ADMIN_EMAIL, type TestServer } from '../support/server.js';

/** Everything a client can compare between two answers, minus what differs by nature. */
function visible(reply: Reply) {
  const headers = [...reply.headers.entries()].filter(
    ([name]) => !['date', 'x-request-id'].includes(name),
  );
  return { status: reply.status, headers, text: reply.text };
}

let world: GithubWorld;
let server: TestServer;
beforeAll(async () => {
  world = await startGithubWorld();
  server = world.server;
});
afterAll(() => world.stop());

describe('sign-in answers reveal nothing about which emails have accounts', () => {
  const ALIKE =
    'answers an unknown email, a wrong password, a disabled user and a password-less account alike';
  it(ALIKE, async () => {
    const orgId = await adminOrgId(server);
    const active = await makeUser(server.services, orgId, 'viewer');
    const disabled = await makeUser(server.services, orgId, 'viewer');
    await server.services.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', disabled.user.id)
      .execute();
    const githubOnly = await createUser(
      server.services,
      { orgId, email: 'github-only@example.test', role: 'viewer' },
      { type: 'cli' },
    );
    expect(githubOnly.ok).toBe(true);

    const attempts = [
      { email: 'nobody-at-all@example.test', password: 'some password 1' },
      { email: active.email, password: 'some password 1' },
      // The right password of a disabled account must not tell that the password was right.
      { email: disabled.email, password: disabled.password },
      { email: 'github-only@example.test', password: 'some password 1' },
      { email: ADMIN_EMAIL.toUpperCase(), password: 'some password 1' },
    ];
    const answers = [];
    for (const [i, json] of attempts.entries()) {
      const reply = await call(server, 'POST', '/login', {
        json,
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      });
      expect(reply.status, reply.text).toBe(401);
      expect(reply.body.code).toBe('invalid_credentials');
      expect(reply.headers.get('set-cookie')).toBeNull();
      answers.push(visible(reply));
    }
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it('names the same field for a malformed email, whether or not it resembles one', async () => {
    const near = await call(server, 'POST', '/login', {
      json: { email: `${ADMIN_EMAIL}@`, password: 'x' },
    });
    const far = await call(server, 'POST', '/login', {
      json: { email: 'nobody@@example.test', password: 'x' },
    });
    expect(near.status).toBe(400);
    expect(visible(near)).toEqual(visible(far));
  });
});

describe('GitHub refusals reveal nothing about which emails have accounts', () => {
  it('refuses an unverified GitHub email alike whether or not an account has it', async () => {
    const orgId = await adminOrgId(server);
    await createUser(
      server.services,
      { orgId, email: 'provisioned@example.test', role: 'operator' },
      { type: 'cli' },
    );
    const pages = [];
    for (const email of ['provisioned@example.test', 'stranger@example.test']) {
      world.fake.reset(
        githubPerson(email, { emails: [{ email, primary: true, verified: false }] }),
      );
      const run = await signInWithGithub(world.browser());
      expect(run.callback.status).toBe(403);
      pages.push(run.callback.text);
    }
    expect(pages[0]).toContain('github_email_unverified');
    expect(pages[1]).toBe(pages[0]);
    const users = await server.services.db
      .selectFrom('users')
      .select('github_id')
      .where('email', '=', 'provisioned@example.test')
      .executeTakeFirstOrThrow();
    expect(users.github_id).toBeNull();
  });
});
