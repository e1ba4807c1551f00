import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus } from '../support/client.js';
import { sessionCookie } from './support/browser.js';
import { ADMIN, useDashboard } from './support/dashboard.js';

const dash = useDashboard();
let attacker: Server;
let attackerUrl: string;

/**
 * Another origin on loopback (same host, another port: "same-site" to a browser, so the Lax
 * session cookie does ride along) whose pages try to act on our service with the victim's cookie.
 */
function attackerPage(target: string): string {
  return `<!doctype html><html><body>
<form id="token" method="POST" action="${target}/token" enctype="text/plain">
<input type="hidden" name='{"name":"forged","x":"' value='"}'><button>Win a prize</button></form>
<form id="logout" method="POST" action="${target}/logout"><button>Log out</button></form>
<form id="invite" method="POST" action="${target}/admin/users" enctype="text/plain">
<input type="hidden" name='{"email":"mallory@example.test","role":"admin","x":"' value='"}'>
<button>Join</button></form>
</body></html>`;
}

beforeAll(async () => {
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(attackerPage(dash.server.url));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => attacker?.close(resolve));
});

async function victim(): Promise<{ page: Page; cookie: string }> {
  const page = await dash.signedIn(ADMIN);
  const cookie = (await sessionCookie(page)).value;
  await page.goto(attackerUrl);
  return { page, cookie };
}

async function submit(page: Page, form: string) {
  const response = page.waitForResponse((r) => r.url().startsWith(dash.server.url));
  await page.locator(`#${form} button`).click();
  const answer = await response;
  const sent = await answer.request().allHeaders();
  return { status: answer.status(), body: await answer.json(), sent };
}

describe('a forged cross-site request', () => {
  it('cannot issue a token with the signed-in cookie', async () => {
    const { page } = await victim();
    const forged = await submit(page, 'token');
    // The cookie was sent, so the refusal is the forgery check, not a missing session.
    expect(forged.sent.cookie).toContain('abs_session=');
    expect(forged.sent.origin).toBe(attackerUrl);
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('csrf_failed');
    const rows = await dash.server.services.db.selectFrom('tokens').select('id').execute();
    expect(rows).toEqual([]);
    await page.context().close();
  });

  it('cannot sign the victim out, and the session keeps working', async () => {
    const { page, cookie } = await victim();
    const forged = await submit(page, 'logout');
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('csrf_failed');
    expectStatus(await call(dash.server, 'GET', '/me', { token: cookie }), 200);
    await page.goto(`${dash.server.url}/account`);
    await page.waitForURL((url) => url.pathname === '/account');
    await page.context().close();
  });

  it('cannot make an admin invite a new admin either', async () => {
    const { page } = await victim();
    const forged = await submit(page, 'invite');
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('csrf_failed');
    const users = await dash.server.services.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'mallory@example.test')
      .execute();
    expect(users).toEqual([]);
    await page.context().close();
  });

  it('cannot slip through a script request from the other origin', async () => {
    const { page } = await victim();
    const target = `${dash.server.url}/token`;
    const before = await dash.server.services.db.selectFrom('tokens').select('id').execute();
    const answer = page.waitForResponse((r) => r.url() === target);
    await page.evaluate(async (url) => {
      await fetch(url, {
        method: 'POST',
        mode: 'no-cors',
        credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: '{"name":"forged-fetch"}',
      }).catch(() => undefined);
    }, target);
    expect((await answer).status()).toBe(403);
    const after = await dash.server.services.db.selectFrom('tokens').select('id').execute();
    expect(after).toEqual(before);
    await page.context().close();
  });
});

describe("the dashboard's own state changes", () => {
  it('carry the anti-forgery token and are accepted', async () => {
    const page = await dash.personOn(ADMIN, '/account/tokens');
    const request = page.waitForRequest((r) => r.url() === `${dash.server.url}/token`);
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('real');
    await page.getByRole('dialog').getByRole('button', { name: 'Create token' }).click();
    const headers = await (await request).allHeaders();
    expect(headers['x-csrf-token']).toMatch(/^[0-9a-f]{43}$/);
    expect(headers.origin).toBe(dash.server.url);
    expect(headers.authorization).toBeUndefined();
    await expect.poll(() => page.getByRole('dialog', { name: 'Your new token' }).count()).toBe(1);
    await page.context().close();
  });
});
