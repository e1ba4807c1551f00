import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, login } from '../support/client.js';
import { makeUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  launchBrowser,
  newPage,
  problemsOf,
  screenshot,
  settled,
  signIn,
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

async function adminOn(path: string, width: 'desktop' | 'phone' = 'desktop'): Promise<Page> {
  const page = await newPage(browser, width);
  await signIn(page, server.url, seeded.admin.email, seeded.admin.password);
  await page.goto(server.url + path);
  return page;
}

const userRow = (page: Page, email: string) => page.locator('tbody tr', { hasText: email });

async function stored(email: string) {
  return server.services.db
    .selectFrom('users')
    .select(['role', 'status', 'name'])
    .where('email', '=', email)
    .executeTakeFirst();
}

describe('user administration', () => {
  it('invites a user with a role and a first password, who can then sign in', async () => {
    const page = await adminOn('/manage/users');
    await settled(page, 'Users');
    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByLabel('Email').fill('nina.new@example.test');
    await dialog.getByLabel('Name (optional)').fill('Nina New');
    await dialog.getByLabel('Role').selectOption('operator');
    await dialog.getByLabel('Initial password (optional)').fill('a long enough first password');
    await screenshot(page, 'admin-desktop-invite-user');
    await dialog.getByRole('button', { name: 'Invite user' }).click();
    await expect.poll(() => userRow(page, 'nina.new@example.test').count()).toBe(1);
    expect(await stored('nina.new@example.test')).toEqual({
      role: 'operator',
      status: 'active',
      name: 'Nina New',
    });
    await login(server, 'nina.new@example.test', 'a long enough first password');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('says plainly when the email is already taken', async () => {
    const page = await adminOn('/manage/users', 'phone');
    await settled(page, 'Users');
    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByLabel('Email').fill(seeded.viewer.email.toUpperCase());
    await dialog.getByRole('button', { name: 'Invite user' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toBe('A user with this email already exists.');
    await screenshot(page, 'admin-phone-invite-user-taken');
    await page.context().close();
  });

  it('changes a role after asking, and the change holds on the server', async () => {
    const page = await adminOn('/manage/users');
    await settled(page, 'Users');
    const row = userRow(page, seeded.viewer.email);
    await row.getByRole('button', { name: /Change role/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Role').selectOption('operator');
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await expect.poll(() => row.locator('td[data-label="Role"]').textContent()).toBe('operator');
    expect((await stored(seeded.viewer.email))?.role).toBe('operator');
    // Nobody changes their own role: the admin's own row offers no such action.
    const own = userRow(page, seeded.admin.email);
    expect(await own.getByRole('button', { name: /Change role|Disable|Delete/ }).count()).toBe(0);
    await page.context().close();
  });

  it('disables and re-enables a user after confirmations; disabled means signed out', async () => {
    const session = await login(server, seeded.operator.email, seeded.operator.password);
    const page = await adminOn('/manage/users');
    await settled(page, 'Users');
    const row = userRow(page, seeded.operator.email);
    await row.getByRole('button', { name: /^Disable/ }).click();
    const confirm = page.getByRole('dialog');
    await expect.poll(() => confirm.textContent()).toContain('signed out everywhere');
    await screenshot(page, 'admin-desktop-disable-user-confirmation');
    await confirm.getByRole('button', { name: 'Disable user' }).click();
    await expect.poll(() => row.locator('td[data-label="Status"]').textContent()).toBe('Disabled');
    expect((await stored(seeded.operator.email))?.status).toBe('disabled');
    expectStatus(await call(server, 'GET', '/me', { token: session }), 401);

    await row.getByRole('button', { name: /^Enable/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable user' }).click();
    await expect.poll(() => row.locator('td[data-label="Status"]').textContent()).toBe('Active');
    await page.context().close();
  });

  it('deletes a user only after a confirmation', async () => {
    const { email } = await makeUser(
      server.services,
      seeded.orgId,
      'viewer',
      'dora.del@example.test',
    );
    const page = await adminOn('/manage/users');
    await settled(page, 'Users');
    await userRow(page, email)
      .getByRole('button', { name: /^Delete/ })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await stored(email)).toBeDefined();
    await userRow(page, email)
      .getByRole('button', { name: /^Delete/ })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete user' }).click();
    await expect.poll(() => userRow(page, email).count()).toBe(0);
    expect(await stored(email)).toBeUndefined();
    await page.context().close();
  });
});
