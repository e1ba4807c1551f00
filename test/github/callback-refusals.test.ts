import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminOrgId } from '../support/client.js';
import {
  signInWithGithub,
  startGithubWorld,
  type Browser,
  type GithubWorld,
  type Page,
} from './browser.js';
import { auditEntries, counts, githubPerson, provision, userByEmail } from './helpers.js';

let world: GithubWorld;
let email: string;
beforeAll(async () => {
  world = await startGithubWorld();
  email = 'refusals@example.test';
  await provision(world.server, await adminOrgId(world.server), email);
});
afterAll(() => world.stop());
beforeEach(() => world.fake.reset(githubPerson(email)));

/** Starts an attempt and lets GitHub answer, without following the answer back to us yet. */
async function startAndAuthorize(browser: Browser): Promise<string> {
  const start = await browser.get('/auth/github');
  const authorize = await browser.get(start.location!);
  return authorize.location!;
}

async function expectRefusal(page: Page, status: number, code: string, reason: string) {
  expect(page.status, page.text).toBe(status);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.text).toContain(`Error code: ${code}`);
  expect(page.location).toBeNull();
  expect(page.setCookies.some((c) => c.startsWith('abs_session='))).toBe(false);
  const cleared = page.setCookies.find((c) => c.startsWith('abs_github_state='));
  expect(cleared, 'the attempt cookie is cleared').toMatch(/Max-Age=0/);
  const refusals = await auditEntries(world.server, 'auth.github.refused');
  expect(refusals.at(-1)?.details.reason).toBe(reason);
}

describe('GET /auth/github/callback refuses a bad state before it talks to GitHub', () => {
  it('refuses a callback from a browser that never started an attempt', async () => {
    const callback = await startAndAuthorize(world.browser());
    const before = await counts(world.server);
    const stranger = world.browser();
    const page = await stranger.get(callback);
    await expectRefusal(page, 400, 'invalid_oauth_state', 'state_missing');
    expect(page.text).toContain('not started in this browser');
    expect(world.fake.tokenRequests).toHaveLength(0);
    expect(await counts(world.server)).toEqual(before);
  });

  it('refuses a forged state that differs from the one this browser holds', async () => {
    const browser = world.browser();
    const callback = new URL(await startAndAuthorize(browser));
    callback.searchParams.set('state', 'forged-state-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const before = await counts(world.server);
    const page = await browser.get(callback.toString());
    await expectRefusal(page, 400, 'invalid_oauth_state', 'state_mismatch');
    expect(world.fake.tokenRequests).toHaveLength(0);
    expect(await counts(world.server)).toEqual(before);
  });

  it('refuses a state that matches its cookie but was never issued', async () => {
    const browser = world.browser();
    browser.cookies.set('abs_github_state', { value: 'made-up', path: '/auth/github' });
    const page = await browser.get('/auth/github/callback?code=abc&state=made-up');
    await expectRefusal(page, 400, 'invalid_oauth_state', 'state_unknown');
    expect(world.fake.tokenRequests).toHaveLength(0);
  });

  it('refuses an attempt older than ten minutes', async () => {
    const browser = world.browser();
    const callback = await startAndAuthorize(browser);
    const state = new URL(callback).searchParams.get('state')!;
    const hash = createHash('sha256').update(state).digest('hex');
    const past = Date.now() - 1000;
    await world.server.services.db
      .updateTable('oauth_states')
      .set({ expires_at: past })
      .where('state_hash', '=', hash)
      .execute();
    const before = await counts(world.server);
    const page = await browser.get(callback);
    await expectRefusal(page, 400, 'invalid_oauth_state', 'state_expired');
    expect(page.text).toContain('expired');
    expect(world.fake.tokenRequests).toHaveLength(0);
    expect(await counts(world.server)).toEqual(before);
  });

  it('refuses a replayed callback, with or without the old state cookie', async () => {
    const browser = world.browser();
    const run = await signInWithGithub(browser);
    expect(run.callback.status, run.callback.text).toBe(302);
    const stateCookie = /abs_github_state=([^;]+)/.exec(run.start.setCookies.join('\n'))![1]!;
    const before = await counts(world.server);

    const again = await browser.get(run.authorize.location!);
    await expectRefusal(again, 400, 'invalid_oauth_state', 'state_missing');

    browser.cookies.set('abs_github_state', { value: stateCookie, path: '/auth/github' });
    const replay = await browser.get(run.authorize.location!);
    await expectRefusal(replay, 400, 'invalid_oauth_state', 'state_used');
    expect(replay.text).toContain('already used');
    expect(world.fake.tokenRequests, 'the code was traded once only').toHaveLength(1);
    expect(await counts(world.server)).toEqual(before);
  });
});

describe('GET /auth/github/callback when GitHub says no or fails', () => {
  it('refuses access_denied from GitHub with a clear message', async () => {
    world.fake.switches.deny = true;
    const before = await counts(world.server);
    const { callback } = await signInWithGithub(world.browser());
    await expectRefusal(callback, 403, 'github_access_denied', 'access_denied');
    expect(callback.text).toContain('You declined access on GitHub');
    expect(world.fake.tokenRequests).toHaveLength(0);
    expect(await counts(world.server)).toEqual(before);
  });

  it.each([
    ['token', 'the token endpoint'],
    ['user', 'the user API'],
    ['emails', 'the emails API'],
  ] as const)('answers an outage of %s (%s) with github_unavailable', async (outage, _where) => {
    world.fake.switches.outage = outage;
    const before = await counts(world.server);
    const linkedBefore = (await userByEmail(world.server, email))?.github_id;
    const { callback } = await signInWithGithub(world.browser());
    await expectRefusal(callback, 502, 'github_unavailable', 'github_unavailable');
    expect(callback.text).toContain('GitHub did not answer');
    expect(await counts(world.server)).toEqual(before);
    expect((await userByEmail(world.server, email))?.github_id).toBe(linkedBefore);
  });

  it('answers a GitHub that is not listening at all with github_unavailable', async () => {
    const browser = world.browser();
    const callback = await startAndAuthorize(browser);
    await world.fake.stop();
    try {
      const page = await browser.get(callback);
      await expectRefusal(page, 502, 'github_unavailable', 'github_unavailable');
    } finally {
      await world.fake.start(Number(new URL(world.fake.url).port));
    }
  });

  it('answers a code that GitHub will not trade with github_exchange_failed', async () => {
    world.fake.switches.rejectCode = true;
    const before = await counts(world.server);
    const { callback } = await signInWithGithub(world.browser());
    await expectRefusal(callback, 400, 'github_exchange_failed', 'exchange_failed');
    expect(world.fake.tokenRequests).toHaveLength(1);
    expect(await counts(world.server)).toEqual(before);
  });

  it('refuses another GitHub error without repeating its description', async () => {
    const browser = world.browser();
    const callback = new URL(await startAndAuthorize(browser));
    callback.searchParams.delete('code');
    callback.searchParams.set('error', 'redirect_uri_mismatch');
    callback.searchParams.set('error_description', '<script>alert(1)</script>');
    const page = await browser.get(callback.toString());
    await expectRefusal(page, 400, 'github_error', 'github_error');
    expect(page.text).not.toContain('<script>');
    expect(world.fake.tokenRequests).toHaveLength(0);
    const entry = (await auditEntries(world.server, 'auth.github.refused')).at(-1)!;
    expect(entry.details).toEqual({ reason: 'github_error', githubError: 'redirect_uri_mismatch' });
  });

  it('refuses a callback with a good state but no code', async () => {
    const browser = world.browser();
    const callback = new URL(await startAndAuthorize(browser));
    callback.searchParams.delete('code');
    const page = await browser.get(callback.toString());
    await expectRefusal(page, 400, 'github_code_missing', 'code_missing');
    expect(world.fake.tokenRequests).toHaveLength(0);
  });

  it('answers problem details to a client that asks for JSON', async () => {
    world.fake.switches.deny = true;
    const browser = world.browser();
    const callback = await startAndAuthorize(browser);
    const page = await browser.get(callback, { accept: 'application/json' });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.parse(page.text)).toMatchObject({
      status: 403,
      code: 'github_access_denied',
      reason: 'access_denied',
    });
  });

  it('records refusals without the code, the state or any secret', async () => {
    world.fake.switches.rejectCode = true;
    const { authorize } = await signInWithGithub(world.browser());
    const back = new URL(authorize.location!).searchParams;
    const entry = (await auditEntries(world.server, 'auth.github.refused')).at(-1)!;
    expect(entry.details).toEqual({
      reason: 'exchange_failed',
      githubError: 'bad_verification_code',
    });
    const stored = JSON.stringify(entry);
    expect(stored).not.toContain(back.get('code')!);
    expect(stored).not.toContain(back.get('state')!);
  });
});
