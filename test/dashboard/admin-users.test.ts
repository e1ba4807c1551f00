import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/admin/users.js';
import { call, expectStatus, login } from '../support/client.js';
import { makeUser } from '../support/fixtures.js';
import { problemsOf, screenshot, settled } from './support/browser.js';
import { useDashboard } from './support/dashboard.js';

const dash = useDashboard({ seed: true });

const userRow = (page: Page, email: string) => page.locator('tbody tr', { hasText: email });

async function stored(email: string) {
  return dash.server.services.db
    .selectFrom('users')
    .select(['role', 'status', 'name'])
    .where('email', '=', email)
    .executeTakeFirst();
}

describe('user administration', () => {
  it('invites a user with a role and a first password, who can then sign in', async () => {
    const page = await dash.adminOn('/manage/users');
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
    await login(dash.server, 'nina.new@example.test', 'a long enough first password');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('says plainly when the email is already taken', async () => {
    const page = await dash.adminOn('/manage/users', 'phone');
    await settled(page, 'Users');
    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByLabel('Email').fill(dash.seeded.viewer.email.toUpperCase());
    await dialog.getByRole('button', { name: 'Invite user' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toBe('A user with this email already exists.');
    await screenshot(page, 'admin-phone-invite-user-taken');
    await page.context().close();
  });

  it('changes a role after asking, and the change holds on the server', async () => {
    const page = await dash.adminOn('/manage/users');
    await settled(page, 'Users');
    const row = userRow(page, dash.seeded.viewer.email);
    await row.getByRole('button', { name: /Change role/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Role').selectOption('operator');
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await expect.poll(() => row.locator('td[data-label="Role"]').textContent()).toBe('operator');
    expect((await stored(dash.seeded.viewer.email))?.role).toBe('operator');
    // Nobody changes their own role: the admin's own row offers no such action.
    const own = userRow(page, dash.seeded.admin.email);
    expect(await own.getByRole('button', { name: /Change role|Disable|Delete/ }).count()).toBe(0);
    await page.context().close();
  });

  it('disables and re-enables a user after confirmations; disabled means signed out', async () => {
    const session = await login(
      dash.server,
      dash.seeded.operator.email,
      dash.seeded.operator.password,
    );
    const page = await dash.adminOn('/manage/users');
    await settled(page, 'Users');
    const row = userRow(page, dash.seeded.operator.email);
    await row.getByRole('button', { name: /^Disable/ }).click();
    const confirm = page.getByRole('dialog');
    await expect.poll(() => confirm.textContent()).toContain('signed out everywhere');
    await screenshot(page, 'admin-desktop-disable-user-confirmation');
    await confirm.getByRole('button', { name: 'Disable user' }).click();
    await expect.poll(() => row.locator('td[data-label="Status"]').textContent()).toBe('Disabled');
    expect((await stored(dash.seeded.operator.email))?.status).toBe('disabled');
    expectStatus(await call(dash.server, 'GET', '/me', { token: session }), 401);

    await row.getByRole('button', { name: /^Enable/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable user' }).click();
    await expect.poll(() => row.locator('td[data-label="Status"]').textContent()).toBe('Active');
    await page.context().close();
  });

  it('says how each user signs in, and that one invited without a password cannot', async () => {
    const outcome = await createUser(
      dash.server.services,
      { orgId: dash.seeded.orgId, email: 'nopass.yet@example.test', role: 'viewer' },
      { type: 'cli' },
    );
    expect(outcome.ok).toBe(true);
    const page = await dash.adminOn('/manage/users');
    await settled(page, 'Users');
    const signsInWith = (email: string) =>
      userRow(page, email).locator('td[data-label="Signs in with"]').textContent();
    expect(await signsInWith('nopass.yet@example.test')).toBe(
      'Nothing yet: no password, not linked to GitHub',
    );
    expect(await signsInWith(dash.seeded.viewer.email)).toBe('Email and password');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('deletes a user only after a confirmation', async () => {
    const { email } = await makeUser(
      dash.server.services,
      dash.seeded.orgId,
      'viewer',
      'dora.del@example.test',
    );
    const page = await dash.adminOn('/manage/users');
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
