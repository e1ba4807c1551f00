import { describe, expect, it } from 'vitest';
import { adminOrgId, call, expectStatus, login } from '../support/client.js';
import { makeUser } from '../support/fixtures.js';
import { problemsOf, screenshot, settled } from './support/browser.js';
import { useDashboard } from './support/dashboard.js';

const dash = useDashboard();

async function person() {
  const orgId = await adminOrgId(dash.server);
  return makeUser(dash.server.services, orgId, 'viewer');
}

describe('changing the password on the profile page', () => {
  it('changes it and signs the person out everywhere else', async () => {
    const p = await person();
    const elsewhere = await login(dash.server, p.email, p.password);
    const page = await dash.signedIn(p);
    await settled(page, 'Profile');
    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change your password' });
    await dialog.getByLabel('Current password').fill(p.password);
    await dialog.getByLabel('New password', { exact: true }).fill('a fresh password from the form');
    await dialog.getByLabel('New password, again').fill('a fresh password from the form');
    await screenshot(page, 'profile-change-password');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.getByText('Password changed.').count()).toBe(1);

    expectStatus(await call(dash.server, 'GET', '/me', { token: elsewhere }), 401);
    await login(dash.server, p.email, 'a fresh password from the form');
    // The page's own session goes on working.
    await page.reload();
    await settled(page, 'Profile');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('keeps the dialog open and says so when the current password is wrong', async () => {
    const p = await person();
    const page = await dash.signedIn(p);
    await settled(page, 'Profile');
    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change your password' });
    await dialog.getByLabel('Current password').fill('certainly not it');
    await dialog.getByLabel('New password', { exact: true }).fill('a fresh password from the form');
    await dialog.getByLabel('New password, again').fill('a different one altogether');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => dialog.getByText('The two new passwords differ').count()).toBe(1);

    await dialog.getByLabel('New password, again').fill('a fresh password from the form');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    const wrong = 'Your current password is not correct.';
    await expect.poll(() => dialog.getByText(wrong).count()).toBe(1);
    await login(dash.server, p.email, p.password);
    expect(problemsOf(page, [/status of 403/])).toEqual([]);
    await page.context().close();
  });
});

describe('the profile page of an account without a password', () => {
  it('offers no password change and says what to do instead', async () => {
    const p = await person();
    const page = await dash.signedIn(p);
    await settled(page, 'Profile');
    expect(await page.getByRole('button', { name: 'Change password' }).count()).toBe(1);
    // As for an account that signs in only through GitHub: no hash stored.
    await dash.server.services.db
      .updateTable('users')
      .set({ password_hash: null })
      .where('id', '=', p.user.id)
      .execute();
    await page.reload();
    await settled(page, 'Profile');
    expect(await page.getByRole('button', { name: 'Change password' }).count()).toBe(0);
    expect(await page.getByText('Your account has no password').count()).toBe(1);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });
});
