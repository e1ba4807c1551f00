import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startGithubWorld, type GithubWorld } from './browser.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from './fake-github.js';

let world: GithubWorld;
beforeAll(async () => {
  world = await startGithubWorld();
});
afterAll(() => world.stop());

const sha256 = (text: string, encoding: 'hex' | 'base64url') =>
  createHash('sha256').update(text).digest(encoding);

async function storedAttempt(state: string) {
  return world.server.services.db
    .selectFrom('oauth_states')
    .selectAll()
    .where('state_hash', '=', sha256(state, 'hex'))
    .executeTakeFirst();
}

describe('GET /auth/github', () => {
  it('redirects to GitHub with client id, exact callback, least scopes and PKCE', async () => {
    const page = await world.browser().get('/auth/github');
    expect(page.status, page.text).toBe(302);
    const target = new URL(page.location!);
    expect(target.origin + target.pathname).toBe(`${world.fake.url}/login/oauth/authorize`);
    const q = target.searchParams;
    expect(q.get('client_id')).toBe(FAKE_CLIENT_ID);
    expect(q.get('redirect_uri')).toBe(`${world.publicUrl}/auth/github/callback`);
    expect(q.get('scope')).toBe('read:user user:email');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(page.location).not.toContain(FAKE_CLIENT_SECRET);

    const row = await storedAttempt(q.get('state')!);
    expect(row, 'the attempt is stored under the hash of its state').toBeDefined();
    expect(sha256(row!.code_verifier, 'base64url')).toBe(q.get('code_challenge'));
    expect(row!.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(row!.used_at).toBeNull();
    expect(Number(row!.expires_at) - Number(row!.created_at)).toBe(10 * 60_000);
    expect(row!.return_to).toBe('/');
  });

  it('binds the state to the browser with a short-lived HttpOnly Lax cookie', async () => {
    const page = await world.browser().get('/auth/github');
    const state = new URL(page.location!).searchParams.get('state')!;
    const cookie = page.setCookies.find((c) => c.startsWith('abs_github_state='));
    expect(cookie, page.setCookies.join('\n')).toBeDefined();
    expect(cookie).toContain(`abs_github_state=${state}`);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\/auth\/github(;|$)/);
    expect(cookie).toMatch(/; Max-Age=600(;|$)/);
    expect(cookie, 'plain http public URL: not Secure').not.toMatch(/Secure/i);
    expect(page.setCookies.some((c) => c.startsWith('abs_session='))).toBe(false);
  });

  it('gives every attempt its own state and verifier', async () => {
    const browser = world.browser();
    const first = new URL((await browser.get('/auth/github')).location!).searchParams;
    const second = new URL((await browser.get('/auth/github')).location!).searchParams;
    expect(first.get('state')).not.toBe(second.get('state'));
    expect(first.get('code_challenge')).not.toBe(second.get('code_challenge'));
  });

  it.each([
    ['/dashboard', '/dashboard'],
    ['/dashboard/tokens?tab=active#new', '/dashboard/tokens?tab=active#new'],
    ['https://evil.example/', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['\\\\evil.example', '/'],
    ['/%2F%2Fevil.example', '/'],
    ['/%252F%252Fevil.example', '/'],
    ['/%5Cevil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['dashboard', '/'],
    ['/\tevil', '/'],
  ])('remembers returnTo %j as %j', async (given, kept) => {
    const page = await world.browser().get(`/auth/github?returnTo=${encodeURIComponent(given)}`);
    expect(page.status).toBe(302);
    const row = await storedAttempt(new URL(page.location!).searchParams.get('state')!);
    expect(row!.return_to).toBe(kept);
  });
});

describe('GitHub sign-in without a client id', () => {
  let bare: TestServer;
  beforeAll(async () => {
    bare = await startTestServer();
  });
  afterAll(() => bare.stop());

  it('says on a page that GitHub sign-in is not set up', async () => {
    const reply = await call(bare, 'GET', '/auth/github', { headers: { accept: 'text/html' } });
    expectStatus(reply, 404);
    expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
    expect(reply.text).toContain('GitHub sign-in is not set up');
    expect(reply.headers.get('location')).toBeNull();
    expect(reply.headers.get('set-cookie')).toBeNull();
    const rows = await bare.services.db.selectFrom('oauth_states').selectAll().execute();
    expect(rows).toHaveLength(0);
  });

  it('answers github_not_configured problem details to a client asking for JSON', async () => {
    for (const path of ['/auth/github', '/auth/github/callback?code=x&state=y']) {
      const reply = await call(bare, 'GET', path, { headers: { accept: 'application/json' } });
      expectStatus(reply, 404);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      expect(reply.body).toMatchObject({ status: 404, code: 'github_not_configured' });
      expect(reply.body.detail).toMatch(/not set up/);
    }
    // Switched off on purpose is not a failure: no line at error level.
    expect(bare.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });

  it('weighs the Accept header: q-values, q=0 as refused, ties to the page', async () => {
    const cases: Array<[accept: string, answer: 'page' | 'problem']> = [
      ['text/html;q=0, application/json', 'problem'],
      ['application/json, text/html;q=0.1', 'problem'],
      ['application/problem+json', 'problem'],
      ['text/html, application/json;q=0.5', 'page'],
      ['application/json;q=0, text/html', 'page'],
      ['application/json, text/html', 'page'],
      ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'page'],
      ['*/*', 'page'],
      // Accepting neither, the client gets what it would get without the header.
      ['image/png', 'page'],
    ];
    for (const path of ['/auth/github', '/auth/github/callback?code=x&state=y']) {
      for (const [accept, answer] of cases) {
        const reply = await call(bare, 'GET', path, { headers: { accept } });
        const what = `${path} with ${accept}`;
        expect(reply.status, what).toBe(404);
        if (answer === 'page') {
          expect(reply.headers.get('content-type'), what).toBe('text/html; charset=UTF-8');
          expect(reply.text, what).toContain('GitHub sign-in is not set up');
        } else {
          expect(reply.headers.get('content-type'), what).toBe('application/problem+json');
          expect(reply.body, what).toMatchObject({ status: 404, code: 'github_not_configured' });
        }
      }
    }
  });
});

describe('GET /auth/github under load', () => {
  it("spends the client address's budget, and past it stores no attempt", async () => {
    const limited = await startGithubWorld({ env: { ABS_RATE_LIMIT: '3/60s' } });
    try {
      const attempts = () =>
        limited.server.services.db
          .selectFrom('oauth_states')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
          .then((row) => Number(row.n));
      for (let r = 2; r >= 0; r--) {
        const page = await limited.browser().get('/auth/github');
        expect(page.status, page.text).toBe(302);
        expect(page.headers.get('ratelimit')).toMatch(new RegExp(`^"address";r=${r};t=\\d+$`));
      }
      expect(await attempts()).toBe(3);
      const refused = await limited.browser().get('/auth/github');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await attempts()).toBe(3);
      // The runtime API's address budget is another one.
      const runtime = await call(limited.server, 'POST', '/v1/events/query', { json: {} });
      expectStatus(runtime, 401);
      expect(runtime.headers.get('ratelimit')).toMatch(/^"address";r=2;/);
    } finally {
      await limited.stop();
    }
  });
});
