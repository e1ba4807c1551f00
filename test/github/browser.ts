import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FakeGithub } from './fake-github.js';

export interface Page {
  status: number;
  headers: Headers;
  location: string | null;
  setCookies: string[];
  text: string;
  url: string;
}

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * A browser in miniature: follows nothing by itself (each hop is a step a test can inspect), keeps
 * the cookies our server sets and sends them back by path, as a browser would.
 */
export class Browser {
  readonly cookies = new Map<string, StoredCookie>();

  constructor(
    private readonly server: { url: string },
    private readonly publicUrl: string,
  ) {}

  async get(address: string, headers: Record<string, string> = {}): Promise<Page> {
    const url = this.resolve(address);
    const ours = url.startsWith(this.server.url);
    const cookie = ours ? this.cookieHeader(new URL(url).pathname) : '';
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...headers },
    });
    const setCookies = response.headers.getSetCookie();
    if (ours) this.remember(setCookies);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      location: response.headers.get('location'),
      setCookies,
      text,
      url,
    };
  }

  /** Our server may be announced under its public URL (https in one test); it is reached here. */
  private resolve(address: string): string {
    if (address.startsWith('/')) return this.server.url + address;
    if (address.startsWith(this.publicUrl)) {
      return this.server.url + address.slice(this.publicUrl.length);
    }
    return address;
  }

  private cookieHeader(path: string): string {
    return [...this.cookies]
      .filter(([, c]) => path === c.path || path.startsWith(c.path.replace(/\/?$/, '/')))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  private remember(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const gone = attributes.some((a) => /^max-age=0$/i.test(a)) || value === '';
      if (gone) this.cookies.delete(name!);
      else this.cookies.set(name!, { value, path });
    }
  }
}

export interface SignInRun {
  start: Page;
  authorize: Page;
  callback: Page;
}

/** The whole redirect chain: our start, GitHub's authorize page, our callback. */
export async function signInWithGithub(browser: Browser, returnTo?: string): Promise<SignInRun> {
  const query = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
  const start = await browser.get(`/auth/github${query}`);
  expect(start.status, start.text).toBe(302);
  const authorize = await browser.get(start.location!);
  expect(authorize.status, authorize.text).toBe(302);
  const callback = await browser.get(authorize.location!);
  return { start, authorize, callback };
}

export interface GithubWorld {
  server: TestServer;
  fake: FakeGithub;
  publicUrl: string;
  browser(): Browser;
  stop(): Promise<void>;
}

/**
 * Our server wired to a fresh stand-in GitHub. By default the public URL is the server's own
 * address: the port is picked free beforehand, because the callback address must be known before
 * the server starts. `publicUrl` lets a test announce another one (https); `env` adds settings.
 */
export async function startGithubWorld(
  opts: { publicUrl?: string; env?: Record<string, string> } = {},
): Promise<GithubWorld> {
  const fake = await new FakeGithub().start();
  const port = await freePort();
  const publicUrl = opts.publicUrl ?? `http://127.0.0.1:${port}`;
  const server = await startTestServer({
    PORT: String(port),
    ABS_PUBLIC_URL: publicUrl,
    ABS_GITHUB_CLIENT_ID: FAKE_CLIENT_ID,
    ABS_GITHUB_CLIENT_SECRET: FAKE_CLIENT_SECRET,
    ABS_GITHUB_URL: fake.url,
    ABS_GITHUB_API_URL: fake.url,
    ...opts.env,
  });
  return {
    server,
    fake,
    publicUrl,
    browser: () => new Browser(server, publicUrl),
    async stop() {
      await server.stop();
      await fake.stop();
    },
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
