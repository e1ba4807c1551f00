import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Cookie, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium, kept off every network but loopback. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const WIDTHS = { desktop: 1280, phone: 390 } as const;
export type Width = keyof typeof WIDTHS;

export async function newPage(
  browser: Browser,
  width: Width = 'desktop',
  permissions: string[] = [],
): Promise<Page> {
  const context = await browser.newContext({
    permissions,
    viewport: { width: WIDTHS[width], height: width === 'phone' ? 844 : 860 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  // Any page error or policy violation fails the test that caused it.
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  // Offline means offline: the pages must never reach for a host other than the loopback server.
  page.on('request', (request) => {
    if (!/^(http:\/\/127\.0\.0\.1:|data:|about:)/.test(request.url())) {
      problems.push(`request to another host: ${request.url()}`);
    }
  });
  pageProblems.set(page, problems);
  return page;
}

const pageProblems = new WeakMap<Page, string[]>();

/** Errors the page reported; expected HTTP refusals (401/403 in the console) are filtered out. */
export function problemsOf(page: Page, allow: RegExp[] = []): string[] {
  const all = pageProblems.get(page) ?? [];
  return all.filter((p) => !/Failed to load resource/.test(p) && !allow.some((a) => a.test(p)));
}

/** Types an email and a password into the sign-in form, without sending it. */
export async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await fillSignIn(page, email, password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/account');
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Profile');
}

/** The session cookie the page holds; a page that has none fails the test here. */
export async function sessionCookie(page: Page): Promise<Cookie> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'abs_session');
  if (!cookie) throw new Error('the page holds no abs_session cookie');
  return cookie;
}

const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/**
 * Saves a screenshot as an artifact for a person to look at: the whole page, or only what is on
 * screen while a dialog is open (a full-page capture would tear the sticky bar and the modal).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const fullPage = (await page.locator('dialog[open], .sidebar.open').count()) === 0;
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage, animations: 'disabled' });
}

/** Waits until the page has replaced its loading indicator with content. */
export async function settled(page: Page, heading: string): Promise<void> {
  await expect
    .poll(() => page.locator('main h1').first().textContent(), { timeout: 10_000 })
    .toBe(heading);
  await expect.poll(() => page.locator('.loading').count()).toBe(0);
}
