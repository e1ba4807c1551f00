import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { problemsOf, screenshot, settled } from './support/browser.js';
import { useDashboard } from './support/dashboard.js';

const dash = useDashboard({ seed: true });

const rows = (page: Page) => page.locator('tbody tr');
const column = (page: Page, label: string) =>
  page.locator(`tbody td[data-label="${label}"]`).allTextContents();

describe('the events page', () => {
  it('lets a viewer page through every event of the organization, newest first', async () => {
    const page = await dash.personOn(dash.seeded.viewer, '/events');
    await settled(page, 'Events');
    await expect.poll(() => rows(page).count()).toBe(25);
    const firstPage = await page
      .locator('tbody td[data-label="Payload"] summary')
      .allTextContents();
    expect(firstPage[0]).toContain('"amount":290');
    expect(await page.getByRole('button', { name: 'Newer' }).isDisabled()).toBe(true);
    // Read-only: nothing on the page changes events.
    expect(
      await page
        .locator('main')
        .getByRole('button', { name: /delete|edit|send/i })
        .count(),
    ).toBe(0);

    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => rows(page).count()).toBe(5);
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    const secondPage = await page
      .locator('tbody td[data-label="Payload"] summary')
      .allTextContents();
    expect(secondPage.at(-1)).toContain('"amount":0');
    expect(new Set([...firstPage, ...secondPage]).size).toBe(30);

    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => rows(page).count()).toBe(25);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('filters by type and agent, keeps the filters in the address, and clears them', async () => {
    const page = await dash.personOn(dash.seeded.operator, '/events', 'phone');
    await settled(page, 'Events');
    await page.getByLabel('Event type').fill('policy.denied');
    await page.getByLabel('Agent').fill('billing-agent');
    await page.getByLabel('Agent').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('agent') === 'billing-agent');
    await expect.poll(() => rows(page).count()).toBe(5);
    expect(new Set(await column(page, 'Type'))).toEqual(new Set(['policy.denied']));
    expect(new Set(await column(page, 'Agent'))).toEqual(new Set(['billing-agent']));
    await screenshot(page, 'operator-phone-events-filtered');

    await page.reload();
    await settled(page, 'Events');
    expect(await page.getByLabel('Event type').inputValue()).toBe('policy.denied');
    await expect.poll(() => rows(page).count()).toBe(5);

    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => rows(page).count()).toBe(25);
    await page.context().close();
  });

  it('filters by time range and says so plainly when nothing matches', async () => {
    const page = await dash.adminOn('/events');
    await settled(page, 'Events');
    await page.getByLabel('From').fill('2020-01-01T00:00');
    await page.getByLabel('To').fill('2020-12-31T23:59');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByText('No events match these filters').count()).toBe(1);
    await page.getByLabel('To').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => rows(page).count()).toBe(25);
    await page.context().close();
  });
});
