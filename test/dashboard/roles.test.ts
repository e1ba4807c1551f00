import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  launchBrowser,
  newPage,
  problemsOf,
  screenshot,
  settled,
  signIn,
  WIDTHS,
  type Width,
} from './support/browser.js';
import { seedOrganization, type Seeded } from './support/seed.js';

let server: TestServer;
let browser: Browser;
let seeded: Seeded;

beforeAll(async () => {
  server = await startTestServer();
  seeded = await seedOrganization(server);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const MEMBER_PAGES = [
  { path: '/account', heading: 'Profile' },
  { path: '/account/tokens', heading: 'Access tokens' },
  { path: '/events', heading: 'Events' },
];
const ADMIN_PAGES = [
  { path: '/manage/users', heading: 'Users' },
  { path: '/manage/tokens', heading: 'Tokens' },
  { path: '/manage/organization', heading: 'Organization' },
  { path: '/manage/audit', heading: 'Audit log' },
];
const ADMIN_LINKS = ['Users', 'Tokens', 'Organization', 'Audit log'];

describe.each(Object.keys(WIDTHS) as Width[])('at %s width', (width) => {
  it('shows an admin every page, with the administration navigation', async () => {
    const page = await newPage(browser, width);
    await signIn(page, server.url, seeded.admin.email, seeded.admin.password);
    for (const { path, heading } of [...MEMBER_PAGES, ...ADMIN_PAGES]) {
      await page.goto(server.url + path);
      await settled(page, heading);
      await screenshot(page, `admin-${width}-${path.slice(1).replaceAll('/', '-')}`);
    }
    await page.goto(`${server.url}/no/such/page`);
    await settled(page, 'Page not found');
    await screenshot(page, `admin-${width}-not-found`);
    if (width === 'phone') {
      const menu = page.getByRole('button', { name: 'Menu' });
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await screenshot(page, 'admin-phone-menu-open');
    }
    const nav = page.locator('#main-nav');
    for (const name of ADMIN_LINKS) {
      await expect.poll(() => nav.getByRole('link', { name, exact: true }).count()).toBe(1);
    }
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it.each(['operator', 'viewer'] as const)(
    'shows a %s their pages and no administration at all',
    async (role) => {
      const person = seeded[role];
      const page = await newPage(browser, width);
      await signIn(page, server.url, person.email, person.password);
      for (const { path, heading } of MEMBER_PAGES) {
        await page.goto(server.url + path);
        await settled(page, heading);
        await screenshot(page, `${role}-${width}-${path.slice(1).replaceAll('/', '-')}`);
      }
      if (width === 'phone') await page.getByRole('button', { name: 'Menu' }).click();
      const nav = page.locator('#main-nav');
      await expect.poll(() => nav.getByRole('link', { name: 'Events' }).isVisible()).toBe(true);
      expect(await nav.getByText('Administration').count()).toBe(0);
      for (const name of ADMIN_LINKS) {
        expect(await nav.getByRole('link', { name, exact: true }).count()).toBe(0);
      }
      // Typing an administration address shows a plain refusal and none of the data.
      await page.goto(`${server.url}/manage/users`);
      await settled(page, 'Administrators only');
      expect(await page.getByText(seeded.admin.email).count()).toBe(0);
      // And the admin API itself refuses the same browser session.
      const status = await page.evaluate(async () => (await fetch('/admin/users')).status);
      expect(status).toBe(403);
      await screenshot(page, `${role}-${width}-manage-users-refused`);
      expect(problemsOf(page)).toEqual([]);
      await page.context().close();
    },
  );
});
