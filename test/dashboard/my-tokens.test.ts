import { describe, expect, it } from 'vitest';
import { adminOrgId, call, expectStatus } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import { problemsOf, screenshot, settled } from './support/browser.js';
import { useDashboard } from './support/dashboard.js';

const dash = useDashboard();

describe('the access tokens page', () => {
  it('creates a token, shows its secret once with a copy button and the setup line', async () => {
    const person = await makeUser(dash.server.services, await adminOrgId(dash.server), 'operator');
    const page = await dash.signedIn(person, 'desktop', ['clipboard-read', 'clipboard-write']);
    await page.locator('#main-nav').getByRole('link', { name: 'Access tokens' }).click();
    await settled(page, 'Access tokens');
    await expect.poll(() => page.getByText('No tokens yet').count()).toBe(1);

    await page.getByRole('button', { name: 'New token' }).click();
    const dialog = page.getByRole('dialog', { name: 'New access token' });
    await dialog.getByLabel('Name').fill('deploy-bot');
    await dialog.getByLabel('Environment').selectOption('staging');
    await dialog.getByLabel('Expires after').selectOption('30');
    await dialog.getByRole('checkbox', { name: /runtime:write/ }).uncheck();
    await screenshot(page, 'operator-desktop-new-token-form');
    await dialog.getByRole('button', { name: 'Create token' }).click();

    const reveal = page.getByRole('dialog', { name: 'Your new token' });
    const secret = (await reveal.getByTestId('secret-value').textContent())!;
    expect(secret).toMatch(/^abs_pat_/);
    expect(await reveal.getByTestId('setup-line').textContent()).toBe(
      `export ABS_PAT_TOKEN=${secret}`,
    );
    await expect.poll(() => reveal.getByText('It will not be shown again').count()).toBe(1);
    await screenshot(page, 'operator-desktop-new-token-secret');
    await reveal.getByRole('button', { name: 'Copy token' }).click();
    await expect.poll(() => reveal.getByText('Copied').count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // What was issued is what was asked for, and the secret works.
    const verify = await call(dash.server, 'GET', '/verify', { token: secret });
    expectStatus(verify, 401); // a staging token on a production server
    const stored = await dash.server.services.db
      .selectFrom('tokens')
      .selectAll()
      .where('name', '=', 'deploy-bot')
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      environment: 'staging',
      scope: 'runtime:read',
      user_id: person.user.id,
    });
    const days = (Number(stored.expires_at) - Number(stored.created_at)) / 86_400_000;
    expect(Math.round(days)).toBe(30);

    await reveal.getByRole('button', { name: 'I have saved it' }).click();
    await expect
      .poll(() => page.locator('td.token-cell', { hasText: 'deploy-bot' }).count())
      .toBe(1);
    // Once closed, the secret is nowhere in the page or its storage.
    const html = await page.content();
    expect(html).not.toContain(secret);
    const storage = await page.evaluate(() =>
      JSON.stringify({ ...localStorage, ...sessionStorage }),
    );
    expect(storage).toBe('{}');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('revokes a token only after a confirmation', async () => {
    const person = await makeUser(dash.server.services, await adminOrgId(dash.server), 'viewer');
    const session = (await call(dash.server, 'POST', '/login', { json: person })).body
      .token as string;
    const issued = await call(dash.server, 'POST', '/token', {
      token: session,
      json: { name: 'laptop' },
    });
    expectStatus(issued, 201);
    const page = await dash.personOn(person, '/account/tokens', 'phone');
    await settled(page, 'Access tokens');

    await page.getByRole('button', { name: 'Revoke laptop' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this token?' });
    await expect.poll(() => confirm.textContent()).toContain('stops working at once');
    await screenshot(page, 'viewer-phone-revoke-confirmation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expectStatus(
      await call(dash.server, 'GET', '/verify', { token: issued.body.accessToken }),
      200,
    );

    await page.getByRole('button', { name: 'Revoke laptop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(() => page.getByText('Revoked', { exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Revoke laptop' }).count()).toBe(0);
    expectStatus(
      await call(dash.server, 'GET', '/verify', { token: issued.body.accessToken }),
      401,
    );
    await page.context().close();
  });

  it('explains instead of offering "New token" when self-service is off', async () => {
    const org = await makeOrg(dash.server.services, 'Enterprise Client', true);
    const person = await makeUser(dash.server.services, org.id, 'operator');
    for (const width of ['desktop', 'phone'] as const) {
      const page = await dash.personOn(person, '/account/tokens', width);
      await settled(page, 'Access tokens');
      expect(await page.getByRole('button', { name: 'New token' }).count()).toBe(0);
      await expect
        .poll(() => page.getByRole('status').first().textContent())
        .toContain('Tokens are issued by your administrators');
      await screenshot(page, `operator-${width}-tokens-self-service-off`);
      await page.context().close();
    }
  });
});
