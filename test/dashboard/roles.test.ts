import { describe, expect, it } from 'vitest';
import { problemsOf, screenshot, settled, WIDTHS, type Width } from './support/browser.js';
import { useDashboard } from './support/dashboard.js';

const dash = useDashboard({ seed: true });

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
    const page = await dash.signedIn(dash.seeded.admin, width);
    for (const { path, heading } of [...MEMBER_PAGES, ...ADMIN_PAGES]) {
      await page.goto(dash.server.url + path);
      await settled(page, heading);
      await screenshot(page, `admin-${width}-${path.slice(1).replaceAll('/', '-')}`);
    }
    await page.goto(`${dash.server.url}/no/such/page`);
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
      const person = dash.seeded[role];
      const page = await dash.signedIn(person, width);
      for (const { path, heading } of MEMBER_PAGES) {
        await page.goto(dash.server.url + path);
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
      await page.goto(`${dash.server.url}/manage/users`);
      await settled(page, 'Administrators only');
      expect(await page.getByText(dash.seeded.admin.email).count()).toBe(0);
      // And the admin API itself refuses the same browser session.
      const status = await page.evaluate(async () => (await fetch('/admin/users')).status);
      expect(status).toBe(403);
      await screenshot(page, `${role}-${width}-manage-users-refused`);
      expect(problemsOf(page)).toEqual([]);
      await page.context().close();
    },
  );
});
