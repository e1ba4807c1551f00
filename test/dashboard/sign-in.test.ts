import { describe, expect, it } from 'vitest';
import { adminOrgId, call, expectStatus } from '../support/client.js';
import { makeUser } from '../support/fixtures.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/server.js';
import {
  fillSignIn,
  newPage,
  problemsOf,
  screenshot,
  sessionCookie,
  settled,
} from './support/browser.js';
import { useDashboard, useServer } from './support/dashboard.js';

const dash = useDashboard();
const github = useServer({
  ABS_GITHUB_CLIENT_ID: 'dashboard-test-client',
  ABS_GITHUB_CLIENT_SECRET: 'dashboard-test-secret',
  ABS_GITHUB_URL: 'http://127.0.0.1:9/',
  ABS_GITHUB_API_URL: 'http://127.0.0.1:9/',
});

const REFUSED = [/status of 401/];

describe('the sign-in page', () => {
  it('signs a person in with email and password using the keyboard alone', async () => {
    const page = await newPage(dash.browser);
    await page.goto(`${dash.server.url}/`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await settled(page, 'Sign in');
    await screenshot(page, 'sign-in-desktop');
    // The email field has focus on arrival; Tab moves on, Enter submits.
    await page.keyboard.type(ADMIN_EMAIL);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/account');
    await settled(page, 'Profile');
    expect(await page.getByText(ADMIN_EMAIL).count()).toBeGreaterThan(0);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'abs_session');
    expect(session?.httpOnly).toBe(true);
    // The page keeps nothing of the session where scripts could read it.
    const stored = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }));
    expect(stored).toEqual({ cookie: '', local: '{}', session: '{}' });
    expect(problemsOf(page, REFUSED)).toEqual([]);
    await page.context().close();
  });

  it('says in plain words that the email or password is wrong, and keeps the email', async () => {
    const page = await newPage(dash.browser, 'phone');
    await page.goto(`${dash.server.url}/sign-in`);
    await fillSignIn(page, ADMIN_EMAIL, 'not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('That email and password do not match');
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(ADMIN_EMAIL);
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await screenshot(page, 'sign-in-phone-wrong-password');
    await page.context().close();
  });

  it('asks for the missing fields before sending anything', async () => {
    const page = await newPage(dash.browser);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${dash.server.url}/sign-in`);
    await settled(page, 'Sign in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Enter the email');
    await page.getByLabel('Email', { exact: true }).fill('someone@example.test');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Enter your password.');
    expect(requests).not.toContain('/login');
    await page.context().close();
  });

  it('offers GitHub only when it is configured', async () => {
    const plain = await newPage(dash.browser);
    await plain.goto(`${dash.server.url}/sign-in`);
    await settled(plain, 'Sign in');
    expect(await plain.getByRole('link', { name: 'Sign in with GitHub' }).count()).toBe(0);
    await plain.context().close();

    const page = await newPage(dash.browser, 'phone');
    await page.goto(`${github().url}/sign-in?next=/events`);
    const link = page.getByRole('link', { name: 'Sign in with GitHub' });
    await expect.poll(() => link.getAttribute('href')).toBe('/auth/github?returnTo=%2Fevents');
    await screenshot(page, 'sign-in-phone-with-github');
    await page.context().close();
  });

  it('answers which sign-in methods exist at /auth/providers', async () => {
    const off = await call(dash.server, 'GET', '/auth/providers');
    expectStatus(off, 200);
    expect(off.body).toEqual({ password: true, github: false });
    const on = await call(github(), 'GET', '/auth/providers');
    expect(on.body).toEqual({ password: true, github: true });
  });

  it('signs out with a POST that ends the session on the server', async () => {
    const org = await adminOrgId(dash.server);
    const person = await makeUser(dash.server.services, org, 'viewer');
    const page = await dash.signedIn(person);
    const cookie = await sessionCookie(page);
    const logout = page.waitForRequest((r) => new URL(r.url()).pathname === '/logout');
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await logout).method()).toBe('POST');
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('signed out');
    // The old cookie value is dead on the server, not merely forgotten by the browser.
    const after = await call(dash.server, 'GET', '/me', { token: cookie.value });
    expectStatus(after, 401);
    await page.goto(`${dash.server.url}/account`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.context().close();
  });

  it('returns to sign-in with an explanation when the session ends elsewhere', async () => {
    const org = await adminOrgId(dash.server);
    const person = await makeUser(dash.server.services, org, 'operator');
    const page = await dash.signedIn(person);
    const cookie = await sessionCookie(page);
    const me = await call(dash.server, 'GET', '/me', { token: cookie.value });
    await call(dash.server, 'POST', '/logout', {
      token: cookie.value,
      headers: { 'x-csrf-token': me.body.csrfToken ?? '' },
    });
    await page.locator('#main-nav').getByRole('link', { name: 'Access tokens' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toBe('Your session has ended. Sign in again.');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/account/tokens');
    await page.context().close();
  });

  it('sends a signed-out visitor to sign-in and back to the page they asked for', async () => {
    const page = await newPage(dash.browser);
    await page.goto(`${dash.server.url}/events?type=tool.call`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/events?type=tool.call');
    await fillSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/events');
    expect(new URL(page.url()).search).toBe('?type=tool.call');
    await page.context().close();
  });

  // `/..//host` is the regression: normalizing its dot segments once produced `//host`.
  it.each(['//example.com/phish', '/..//example.com/phish', '/.//example.com/phish'])(
    'never follows a next address that leaves the site: %s',
    async (next) => {
      const page = await newPage(dash.browser);
      await page.goto(`${dash.server.url}/sign-in?next=${encodeURIComponent(next)}`);
      await fillSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === '/account');
      expect(new URL(page.url()).origin).toBe(dash.server.url);
      await page.context().close();
    },
  );
});
