import { describe, expect, it } from 'vitest';
import { call, expectStatus, login } from '../support/client.js';
import { problemsOf, screenshot, settled } from './support/browser.js';
import { useDashboard } from './support/dashboard.js';

const dash = useDashboard({ seed: true });

describe('the organization setting', () => {
  it('turns self-service tokens off and on, and members see the effect', async () => {
    const page = await dash.adminOn('/manage/organization');
    await settled(page, 'Organization');
    const toggle = page.getByRole('switch', { name: 'Members create their own tokens' });
    expect(await toggle.isChecked()).toBe(true);
    await toggle.press('Space');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByText('Only administrators issue tokens now').count()).toBe(1);
    await screenshot(page, 'admin-desktop-organization-self-service-off');
    const org = await call(dash.server, 'GET', '/admin/org', { token: await login(dash.server) });
    expect(org.body.organization.selfServiceTokens).toBe(false);

    const session = await login(
      dash.server,
      dash.seeded.operator.email,
      dash.seeded.operator.password,
    );
    const refused = await call(dash.server, 'POST', '/token', { token: session, json: {} });
    expectStatus(refused, 403);
    const member = await dash.personOn(dash.seeded.operator, '/account/tokens');
    await settled(member, 'Access tokens');
    expect(await member.getByRole('button', { name: 'New token' }).count()).toBe(0);
    await member.context().close();

    await page.reload();
    await settled(page, 'Organization');
    await page.getByRole('switch', { name: 'Members create their own tokens' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByText('Members can now create their own tokens').count())
      .toBe(1);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });
});

describe('the audit log page', () => {
  it('lists what happened with the chain status, and filters by action', async () => {
    const page = await dash.adminOn('/manage/audit');
    await settled(page, 'Audit log');
    const status = page.getByTestId('chain-status');
    await expect.poll(() => status.textContent()).toContain('Chain intact');
    const actions = await page.locator('tbody td[data-label="Action"] code').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'token.issued', 'user.created']));
    await page.getByLabel('Action').selectOption('token.issued');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('action') === 'token.issued');
    await settled(page, 'Audit log');
    const filtered = await page.locator('tbody td[data-label="Action"] code').allTextContents();
    expect(filtered.length).toBeGreaterThan(0);
    expect(new Set(filtered)).toEqual(new Set(['token.issued']));
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('shows a broken chain, naming where, after the record is edited behind its back', async () => {
    const victim = await dash.server.services.db
      .selectFrom('audit_entries')
      .select(['id', 'seq'])
      .where('org_id', '=', dash.seeded.orgId)
      .where('action', '=', 'token.issued')
      .orderBy('seq', 'asc')
      .executeTakeFirstOrThrow();
    await dash.server.services.db
      .updateTable('audit_entries')
      .set({ details: JSON.stringify({ edited: true }) })
      .where('id', '=', victim.id)
      .execute();
    for (const width of ['desktop', 'phone'] as const) {
      const page = await dash.adminOn('/manage/audit', width);
      await settled(page, 'Audit log');
      const status = page.getByTestId('chain-status');
      await expect.poll(() => status.textContent()).toContain('Chain broken');
      expect(await status.textContent()).toContain(victim.id);
      await screenshot(page, `admin-${width}-audit-chain-broken`);
      await page.context().close();
    }
  });
});
