import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { call, expectStatus } from '../support/client.js';
import { problemsOf, screenshot, settled } from './support/browser.js';
import { useDashboard } from './support/dashboard.js';

const dash = useDashboard({ seed: true });

const tokenRow = (page: Page, name: string) =>
  page.locator('tbody tr', { has: page.locator('td.token-cell', { hasText: name }) });

async function tokenNamed(name: string) {
  return dash.server.services.db
    .selectFrom('tokens')
    .selectAll()
    .where('name', '=', name)
    .orderBy('created_at', 'desc')
    .execute();
}

describe("administering anyone's tokens", () => {
  it('issues a token for a user in a chosen environment with an expiry, shown once', async () => {
    const page = await dash.adminOn('/manage/tokens');
    await settled(page, 'Tokens');
    await page.getByRole('button', { name: 'Issue token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Issue a token' });
    await dialog.getByLabel('For').selectOption(dash.seeded.viewer.id);
    await dialog.getByLabel('Name').fill('viewer-dashboard-export');
    await dialog.getByLabel('Environment').selectOption('production');
    await dialog.getByLabel('Expires after').selectOption('7');
    // A viewer's token can carry nothing beyond runtime:read.
    expect(await dialog.getByRole('checkbox').count()).toBe(1);
    await screenshot(page, 'admin-desktop-issue-token');
    await dialog.getByRole('button', { name: 'Issue token' }).click();

    const reveal = page.getByRole('dialog', { name: 'The new token' });
    const secret = (await reveal.getByTestId('secret-value').textContent())!;
    expect(await reveal.getByTestId('setup-line').textContent()).toBe(
      `export ABS_PAT_TOKEN=${secret}`,
    );
    const verify = await call(dash.server, 'GET', '/verify', { token: secret });
    expectStatus(verify, 200);
    expect(verify.body).toMatchObject({ userId: dash.seeded.viewer.id, environment: 'production' });
    const [row] = await tokenNamed('viewer-dashboard-export');
    expect(row).toMatchObject({ user_id: dash.seeded.viewer.id, created_by: dash.seeded.admin.id });
    expect(Math.round((Number(row!.expires_at) - Number(row!.created_at)) / 86_400_000)).toBe(7);
    await reveal.getByRole('button', { name: 'I have saved it' }).click();
    await expect.poll(() => tokenRow(page, 'viewer-dashboard-export').count()).toBe(1);
    expect(await page.content()).not.toContain(secret);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('rotates a token with a grace period: both secrets work until it ends', async () => {
    const page = await dash.adminOn('/manage/tokens', 'phone');
    await settled(page, 'Tokens');
    const [old] = await tokenNamed('support-agent');
    await tokenRow(page, 'support-agent')
      .getByRole('button', { name: 'Rotate support-agent' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Rotate “support-agent”' });
    await dialog.getByLabel('Grace period for the old secret').selectOption('86400');
    await screenshot(page, 'admin-phone-rotate-token');
    await dialog.getByRole('button', { name: 'Rotate token' }).click();
    const reveal = page.getByRole('dialog', { name: 'The rotated token' });
    const secret = (await reveal.getByTestId('secret-value').textContent())!;
    await screenshot(page, 'admin-phone-rotated-secret');
    await reveal.getByRole('button', { name: 'I have saved it' }).click();

    expectStatus(await call(dash.server, 'GET', '/verify', { token: secret }), 200);
    const rows = await tokenNamed('support-agent');
    expect(rows).toHaveLength(2);
    const previous = rows.find((r) => r.id === old!.id)!;
    expect(previous.rotated_to).toBe(rows.find((r) => r.id !== old!.id)!.id);
    const graceMs = Number(previous.expires_at) - Date.now();
    expect(graceMs).toBeGreaterThan(86_000_000);
    expect(graceMs).toBeLessThanOrEqual(86_400_000);
    await expect.poll(() => tokenRow(page, 'support-agent').count()).toBe(2);
    await page.context().close();
  });

  it('revokes a token after a confirmation, at once', async () => {
    const page = await dash.adminOn('/manage/tokens');
    await settled(page, 'Tokens');
    await tokenRow(page, 'ci-staging').getByRole('button', { name: 'Revoke ci-staging' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    // The default view lists usable tokens only; "All" shows it as revoked.
    await expect.poll(() => tokenRow(page, 'ci-staging').count()).toBe(0);
    const [row] = await tokenNamed('ci-staging');
    expect(row!.revoked_at).not.toBeNull();
    await page.getByLabel('Status').selectOption('all');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => tokenRow(page, 'ci-staging').locator('td[data-label="Status"]').textContent())
      .toBe('Revoked');
    await page.context().close();
  });

  it("filters by owner and environment, from a user's row in Users", async () => {
    const page = await dash.adminOn('/manage/users');
    await settled(page, 'Users');
    await page
      .locator('tbody tr', { hasText: dash.seeded.operator.email })
      .getByRole('link', { name: 'Tokens' })
      .click();
    await settled(page, 'Tokens');
    expect(new URL(page.url()).searchParams.get('user')).toBe(dash.seeded.operator.id);
    const owners = await page
      .locator('tbody td[data-label="Owner"] .cell > div:first-child')
      .allTextContents();
    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set([dash.seeded.operator.email]));
    await page.getByLabel('Environment').selectOption('staging');
    await page.getByLabel('Status').selectOption('all');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('environment') === 'staging');
    await settled(page, 'Tokens');
    const environments = await page.locator('tbody td[data-label="Environment"]').allTextContents();
    expect(environments).toEqual(['staging']);
    await page.context().close();
  });
});
