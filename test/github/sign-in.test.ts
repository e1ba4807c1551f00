import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminOrgId, call, expectStatus, login } from '../support/client.js';
import { ADMIN_EMAIL } from '../support/server.js';
import { signInWithGithub, startGithubWorld, type Browser, type GithubWorld } from './browser.js';
import { FAKE_CLIENT_SECRET } from './fake-github.js';
import { auditEntries, counts, githubPerson, provision, userByEmail } from './helpers.js';

let world: GithubWorld;
let orgId: string;
beforeAll(async () => {
  world = await startGithubWorld();
  orgId = await adminOrgId(world.server);
});
afterAll(() => world.stop());
beforeEach(() => world.fake.reset());

function sessionCookie(setCookies: string[]): string | undefined {
  return setCookies.find((c) => c.startsWith('abs_session='));
}

/** Calls our API the way the dashboard does: with the cookie jar only, no bearer header. */
async function getWithCookies(browser: Browser, path: string) {
  const page = await browser.get(path, { accept: 'application/json' });
  return { status: page.status, body: page.text ? JSON.parse(page.text) : null, text: page.text };
}

describe('GitHub sign-in of a provisioned user', () => {
  it('signs in the user whose email equals the verified primary email, ignoring case', async () => {
    const user = await provision(world.server, orgId, 'ada@example.test', { role: 'admin' });
    world.fake.signedInAs = githubPerson('Ada@Example.TEST', {
      name: 'Ada Example',
      avatarUrl: 'https://avatars.example.test/u/741852',
    });
    const browser = world.browser();
    const { callback } = await signInWithGithub(browser);

    expect(callback.status, callback.text).toBe(302);
    expect(callback.location).toBe('/');
    const cookie = sessionCookie(callback.setCookies);
    expect(cookie).toMatch(/^abs_session=abs_ses_[0-9A-Za-z]{38};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie, 'plain http public URL: not Secure').not.toMatch(/Secure/i);

    const me = await getWithCookies(browser, '/me');
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({
      id: user.id,
      email: 'ada@example.test',
      name: 'Ada Example',
      avatar: 'https://avatars.example.test/u/741852',
      role: 'admin',
      provider: 'github',
      hasPassword: false,
      organization: { id: orgId },
    });
    const stored = await userByEmail(world.server, 'ada@example.test');
    expect(stored!.github_id).toBe(String(world.fake.signedInAs!.id));
    expect(world.fake.apiRequests).toEqual(['/user', '/user/emails']);
  });

  it('trades the code with its PKCE verifier, the exact callback and the secret', async () => {
    await provision(world.server, orgId, 'pkce@example.test');
    world.fake.signedInAs = githubPerson('pkce@example.test');
    const { start, authorize } = await signInWithGithub(world.browser());
    const asked = new URL(start.location!).searchParams;
    const returned = new URL(authorize.location!).searchParams;
    expect(world.fake.tokenRequests).toHaveLength(1);
    const { form, accept } = world.fake.tokenRequests[0]!;
    expect(accept).toBe('application/json');
    expect(form).toMatchObject({
      client_id: asked.get('client_id'),
      client_secret: FAKE_CLIENT_SECRET,
      code: returned.get('code'),
      redirect_uri: `${world.publicUrl}/auth/github/callback`,
    });
    const challenge = createHash('sha256').update(form.code_verifier!).digest('base64url');
    expect(challenge).toBe(asked.get('code_challenge'));
  });

  it('lets the session cookie read /verify and /tokens like a bearer session', async () => {
    await provision(world.server, orgId, 'reader@example.test', { role: 'viewer' });
    world.fake.signedInAs = githubPerson('reader@example.test');
    const browser = world.browser();
    expect((await signInWithGithub(browser)).callback.status).toBe(302);
    const verify = await getWithCookies(browser, '/verify');
    expect(verify.status, verify.text).toBe(200);
    expect(verify.body).toMatchObject({
      active: true,
      type: 'session',
      email: 'reader@example.test',
    });
    const tokens = await getWithCookies(browser, '/tokens');
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.body.data).toEqual([]);
  });

  it('records the first link and every sign-in in the audit trail', async () => {
    const user = await provision(world.server, orgId, 'audited@example.test');
    const person = githubPerson('audited@example.test');
    world.fake.signedInAs = person;
    await signInWithGithub(world.browser());
    await signInWithGithub(world.browser());

    const links = (await auditEntries(world.server, 'auth.github.linked')).filter(
      (e) => e.target_id === user.id,
    );
    expect(links).toHaveLength(1);
    expect(links[0]!.details).toEqual({
      githubId: String(person.id),
      githubLogin: person.login,
      email: 'audited@example.test',
    });
    const signIns = (await auditEntries(world.server, 'auth.github')).filter(
      (e) => e.actor_id === user.id,
    );
    expect(signIns).toHaveLength(2);
    expect(signIns[0]!.target_type).toBe('session');
    expect(signIns[0]!.details).toMatchObject({ githubId: String(person.id), email: user.email });
  });

  it('keeps signing into the same account after the GitHub email changes', async () => {
    const user = await provision(world.server, orgId, 'mover@example.test');
    const person = githubPerson('mover@example.test');
    world.fake.signedInAs = person;
    expect((await signInWithGithub(world.browser())).callback.status).toBe(302);

    person.emails = [{ email: 'mover@elsewhere.test', primary: true, verified: false }];
    const browser = world.browser();
    const { callback } = await signInWithGithub(browser);
    expect(callback.status, callback.text).toBe(302);
    const me = await getWithCookies(browser, '/me');
    expect(me.body.id).toBe(user.id);
    expect(me.body.email).toBe('mover@example.test');
  });

  it('creates a new session on every sign-in, never keeping the earlier cookie', async () => {
    await provision(world.server, orgId, 'twice@example.test');
    world.fake.signedInAs = githubPerson('twice@example.test');
    const browser = world.browser();
    const first = sessionCookie((await signInWithGithub(browser)).callback.setCookies);
    const before = await counts(world.server);
    const second = sessionCookie((await signInWithGithub(browser)).callback.setCookies);
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await counts(world.server)).sessions).toBe(before.sessions + 1);
  });

  it('links once when the same person finishes two first sign-ins at the same moment', async () => {
    const user = await provision(world.server, orgId, 'parallel@example.test');
    world.fake.signedInAs = githubPerson('parallel@example.test');
    const browsers = [world.browser(), world.browser()];
    const callbacks = await Promise.all(
      browsers.map(async (b) => (await b.get((await b.get('/auth/github')).location!)).location!),
    );
    const pages = await Promise.all(browsers.map((b, i) => b.get(callbacks[i]!)));
    for (const page of pages) expect(page.status, page.text).toBe(302);
    const links = (await auditEntries(world.server, 'auth.github.linked')).filter(
      (e) => e.target_id === user.id,
    );
    expect(links).toHaveLength(1);
  });

  it('keeps a name an administrator chose and fills a placeholder name from GitHub', async () => {
    await provision(world.server, orgId, 'named@example.test', { name: 'Chosen Name' });
    world.fake.signedInAs = githubPerson('named@example.test', { name: 'GitHub Name' });
    await signInWithGithub(world.browser());
    expect((await userByEmail(world.server, 'named@example.test'))!.name).toBe('Chosen Name');

    await provision(world.server, orgId, 'plain@example.test');
    world.fake.signedInAs = githubPerson('plain@example.test', { name: 'Plain Person' });
    await signInWithGithub(world.browser());
    expect((await userByEmail(world.server, 'plain@example.test'))!.name).toBe('Plain Person');
  });

  it('marks a password user who links GitHub as a GitHub user; the password stays', async () => {
    world.fake.signedInAs = githubPerson(ADMIN_EMAIL);
    const browser = world.browser();
    expect((await signInWithGithub(browser)).callback.status).toBe(302);
    expect((await getWithCookies(browser, '/me')).body.provider).toBe('github');
    expect(await login(world.server)).toMatch(/^abs_ses_/);
  });

  it.each([
    ['an absolute URL', 'https://evil.example/steal', '/'],
    ['a protocol-relative URL', '//evil.example', '/'],
    ['a backslash path', '/\\evil.example', '/'],
    ['an encoded double slash', '/%2f%2fevil.example', '/'],
    ['a same-origin path', '/dashboard/tokens?tab=mine', '/dashboard/tokens?tab=mine'],
  ])('after sign-in goes to %s only when it is a same-origin path', async (_, given, landing) => {
    const email = `return-${Math.random().toString(36).slice(2)}@example.test`;
    await provision(world.server, orgId, email);
    world.fake.signedInAs = githubPerson(email);
    const { callback } = await signInWithGithub(world.browser(), given);
    expect(callback.status, callback.text).toBe(302);
    expect(callback.location).toBe(landing);
  });

  it('never writes the code, the access token or the client secret to the logs', async () => {
    await provision(world.server, orgId, 'quiet@example.test');
    world.fake.signedInAs = githubPerson('quiet@example.test');
    const { authorize } = await signInWithGithub(world.browser());
    const code = new URL(authorize.location!).searchParams.get('code')!;
    const logs = world.server.logs.join('\n');
    const rows = await world.server.services.db.selectFrom('audit_entries').selectAll().execute();
    const audit = JSON.stringify(rows);
    for (const secret of [code, FAKE_CLIENT_SECRET, ...world.fake.issuedTokens()]) {
      expect(logs).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
  });
});

describe('GitHub sign-in that must not link', () => {
  it('never links an unverified primary email, even one that matches an admin', async () => {
    world.fake.signedInAs = githubPerson(ADMIN_EMAIL, {
      emails: [{ email: ADMIN_EMAIL, primary: true, verified: false }],
    });
    const before = await counts(world.server);
    const { callback } = await signInWithGithub(world.browser());
    expect(callback.status, callback.text).toBe(403);
    expect(callback.text).toContain('Error code: github_email_unverified');
    expect(callback.text).toContain('not verified');
    expect(sessionCookie(callback.setCookies)).toBeUndefined();
    expect(await counts(world.server)).toEqual(before);
    const refused = (await auditEntries(world.server, 'auth.github.refused')).at(-1)!;
    expect(refused.details).toMatchObject({ reason: 'email_unverified', email: ADMIN_EMAIL });
  });

  it('ignores a verified email that is not the primary one', async () => {
    await provision(world.server, orgId, 'secondary@example.test');
    world.fake.signedInAs = githubPerson('x@example.test', {
      emails: [
        { email: 'unverified-primary@example.test', primary: true, verified: false },
        { email: 'secondary@example.test', primary: false, verified: true },
      ],
    });
    const { callback } = await signInWithGithub(world.browser());
    expect(callback.status, callback.text).toBe(403);
    expect(callback.text).toContain('Error code: github_email_unverified');
    expect((await userByEmail(world.server, 'secondary@example.test'))!.github_id).toBeNull();
  });

  it('refuses a user linked to another GitHub account', async () => {
    await provision(world.server, orgId, 'taken@example.test');
    world.fake.signedInAs = githubPerson('taken@example.test');
    await signInWithGithub(world.browser());
    const firstId = (await userByEmail(world.server, 'taken@example.test'))!.github_id;

    world.fake.signedInAs = githubPerson('taken@example.test');
    const { callback } = await signInWithGithub(world.browser());
    expect(callback.status, callback.text).toBe(403);
    expect(callback.text).toContain('Error code: github_account_mismatch');
    expect((await userByEmail(world.server, 'taken@example.test'))!.github_id).toBe(firstId);
  });

  it.each([
    ['not yet linked', false],
    ['already linked', true],
  ])('refuses a disabled user %s', async (_, linkFirst) => {
    const email = `off-${linkFirst}@example.test`;
    const user = await provision(world.server, orgId, email);
    world.fake.signedInAs = githubPerson(email);
    if (linkFirst) expect((await signInWithGithub(world.browser())).callback.status).toBe(302);
    const linked = (await userByEmail(world.server, email))!.github_id;
    await world.server.services.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', user.id)
      .execute();
    const before = await counts(world.server);
    const { callback } = await signInWithGithub(world.browser());
    expect(callback.status, callback.text).toBe(403);
    expect(callback.text).toContain('Error code: account_disabled');
    expect(sessionCookie(callback.setCookies)).toBeUndefined();
    expect(await counts(world.server)).toEqual(before);
    expect((await userByEmail(world.server, email))!.github_id).toBe(linked);
    const refused = (await auditEntries(world.server, 'auth.github.refused')).at(-1)!;
    expect(refused).toMatchObject({ org_id: orgId, target_id: user.id, outcome: 'denied' });
  });
});
