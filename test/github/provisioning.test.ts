import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminOrgId } from '../support/client.js';
import { makeOrg } from '../support/fixtures.js';
import { signInWithGithub, startGithubWorld, type GithubWorld } from './browser.js';
import { auditEntries, counts, githubPerson, provision, userByEmail } from './helpers.js';

let world: GithubWorld;
beforeAll(async () => {
  world = await startGithubWorld();
});
afterAll(() => world.stop());
beforeEach(async () => {
  world.fake.reset();
  await world.server.services.db.updateTable('organizations').set({ github_signup: 0 }).execute();
});

async function allowGithubSignup(orgId: string): Promise<void> {
  await world.server.services.db
    .updateTable('organizations')
    .set({ github_signup: 1 })
    .where('id', '=', orgId)
    .execute();
}

describe('GitHub sign-in of a stranger', () => {
  it('refuses an identity that matches no user with a clear page and creates nothing', async () => {
    world.fake.signedInAs = githubPerson('stranger@example.test');
    const before = await counts(world.server);
    const { callback } = await signInWithGithub(world.browser());
    expect(callback.status, callback.text).toBe(403);
    expect(callback.headers.get('content-type')).toMatch(/^text\/html/);
    expect(callback.text).toContain('No account for this GitHub identity');
    expect(callback.text).toContain('by invitation only');
    const csp = callback.headers.get('content-security-policy');
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
    expect(callback.setCookies.some((c) => c.startsWith('abs_session='))).toBe(false);
    expect(await counts(world.server)).toEqual(before);
    expect(await userByEmail(world.server, 'stranger@example.test')).toBeUndefined();
    const refused = (await auditEntries(world.server, 'auth.github.refused')).at(-1)!;
    expect(refused).toMatchObject({ org_id: 'system', outcome: 'denied', actor_type: 'anonymous' });
    expect(refused.details).toMatchObject({
      reason: 'not_invited',
      email: 'stranger@example.test',
      githubId: String(world.fake.signedInAs.id),
    });
  });

  it('keeps a GitHub name to the rules of typed names: no characters that reorder it', async () => {
    const org = await makeOrg(world.server.services, 'Open Org Two');
    await allowGithubSignup(org.id);
    world.fake.signedInAs = githubPerson('reversed@example.test', {
      name: 'Eve \u202Egnp.exe\u0007',
    });
    const browser = world.browser();
    const { callback } = await signInWithGithub(browser);
    expect(callback.status, callback.text).toBe(302);
    const stored = await userByEmail(world.server, 'reversed@example.test');
    expect(stored!.name).toBe('Eve gnp.exe');
  });

  it('lets a stranger join, as a viewer, the one organization open to GitHub sign-up', async () => {
    const org = await makeOrg(world.server.services, 'Open Org');
    await allowGithubSignup(org.id);
    const person = githubPerson('Newcomer@Example.test', { name: 'New Comer' });
    world.fake.signedInAs = person;
    const browser = world.browser();
    const { callback } = await signInWithGithub(browser);
    expect(callback.status, callback.text).toBe(302);
    expect(callback.location).toBe('/');

    const me = await browser.get('/me', { accept: 'application/json' });
    expect(me.status, me.text).toBe(200);
    expect(JSON.parse(me.text)).toMatchObject({
      email: 'newcomer@example.test',
      name: 'New Comer',
      avatar: person.avatarUrl,
      role: 'viewer',
      provider: 'github',
      organization: { id: org.id, name: 'Open Org' },
    });
    const stored = await userByEmail(world.server, 'newcomer@example.test');
    expect(stored).toMatchObject({
      github_id: String(person.id),
      password_hash: null,
      status: 'active',
    });
    const created = (await auditEntries(world.server, 'user.created')).at(-1)!;
    expect(created).toMatchObject({ org_id: org.id, target_id: stored!.id });
    expect(created.details).toMatchObject({ role: 'viewer', via: 'github' });
    const linked = (await auditEntries(world.server, 'auth.github.linked')).at(-1)!;
    expect(linked.target_id).toBe(stored!.id);
  });

  it('makes one account when a stranger finishes two sign-ins at the same moment', async () => {
    const org = await makeOrg(world.server.services, 'Open Race');
    await allowGithubSignup(org.id);
    world.fake.signedInAs = githubPerson('racer@example.test');
    const browsers = [world.browser(), world.browser()];
    const callbacks = await Promise.all(
      browsers.map(async (b) => (await b.get((await b.get('/auth/github')).location!)).location!),
    );
    const pages = await Promise.all(browsers.map((b, i) => b.get(callbacks[i]!)));
    for (const page of pages) expect(page.status, page.text).toBe(302);
    const asJson = { accept: 'application/json' };
    const mes = await Promise.all(browsers.map((b) => b.get('/me', asJson)));
    const ids = mes.map((m) => JSON.parse(m.text).id);
    expect(ids[0]).toBe(ids[1]);
    const rows = await world.server.services.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'racer@example.test')
      .execute();
    expect(rows).toEqual([{ id: ids[0] }]);
  });

  it('refuses a stranger when several organizations allow sign-up rather than guess', async () => {
    await allowGithubSignup((await makeOrg(world.server.services, 'Open A')).id);
    await allowGithubSignup((await makeOrg(world.server.services, 'Open B')).id);
    world.fake.signedInAs = githubPerson('undecided@example.test');
    const before = await counts(world.server);
    const { callback } = await signInWithGithub(world.browser());
    expect(callback.status, callback.text).toBe(403);
    expect(callback.text).toContain('Error code: github_not_invited');
    expect(await counts(world.server)).toEqual(before);
  });

  it('never signs up a stranger whose primary email is unverified', async () => {
    await allowGithubSignup(await adminOrgId(world.server));
    world.fake.signedInAs = githubPerson('shaky@example.test', {
      emails: [{ email: 'shaky@example.test', primary: true, verified: false }],
    });
    const before = await counts(world.server);
    const { callback } = await signInWithGithub(world.browser());
    expect(callback.status, callback.text).toBe(403);
    expect(callback.text).toContain('Error code: github_email_unverified');
    expect(await counts(world.server)).toEqual(before);
  });

  it('still signs in a provisioned user of another organization when sign-up is open', async () => {
    const open = await makeOrg(world.server.services, 'Open C');
    await allowGithubSignup(open.id);
    const closed = await makeOrg(world.server.services, 'Closed', true);
    const user = await provision(world.server, closed.id, 'member@closed.test', { role: 'admin' });
    world.fake.signedInAs = githubPerson('member@closed.test');
    const browser = world.browser();
    expect((await signInWithGithub(browser)).callback.status).toBe(302);
    const me = JSON.parse((await browser.get('/me', { accept: 'application/json' })).text);
    expect(me).toMatchObject({ id: user.id, role: 'admin', organization: { id: closed.id } });
  });
});

describe('GitHub sign-in behind an https public URL', () => {
  let secure: GithubWorld;
  beforeAll(async () => {
    secure = await startGithubWorld({ publicUrl: 'https://auth.abs.test' });
  });
  afterAll(() => secure.stop());

  it('sends GitHub the https callback and marks both cookies Secure', async () => {
    await provision(secure.server, await adminOrgId(secure.server), 'tls@example.test');
    secure.fake.reset(githubPerson('tls@example.test'));
    const { start, callback } = await signInWithGithub(secure.browser());
    const redirectUri = new URL(start.location!).searchParams.get('redirect_uri');
    expect(redirectUri).toBe('https://auth.abs.test/auth/github/callback');
    expect(start.setCookies.find((c) => c.startsWith('abs_github_state='))).toMatch(/; Secure/i);
    expect(callback.status, callback.text).toBe(302);
    const session = callback.setCookies.find((c) => c.startsWith('abs_session='));
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
  });
});
