import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startTestServer,
  type TestServer,
} from '../../support/server.js';
import { launchBrowser, newPage, signIn, type Width } from './browser.js';
import { seedOrganization, type Seeded } from './seed.js';

/** Who signs in: a seeded person, or anyone else with an email and a password. */
export interface Credentials {
  email: string;
  password: string;
}

/** The first administrator, present on every fresh test server. */
export const ADMIN: Credentials = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD };

export interface Dashboard {
  readonly server: TestServer;
  readonly browser: Browser;
  /** The seeded organization; only with `useDashboard({ seed: true })`. */
  readonly seeded: Seeded;
  /** A new browser page at `width`, signed in as `person` and showing the profile. */
  signedIn(person: Credentials, width?: Width, permissions?: string[]): Promise<Page>;
  /** A new page signed in as `person`, then sent to `path` on the server. */
  personOn(person: Credentials, path: string, width?: Width): Promise<Page>;
  /** A new page signed in as the seeded administrator, then sent to `path`. */
  adminOn(path: string, width?: Width): Promise<Page>;
}

/**
 * One server (seeded when asked) and one browser for all the tests of a file: registers the
 * hooks that start them before the first test and stop them after the last, and returns
 * accessors that read them at test time (they do not exist yet when the file is collected).
 */
export function useDashboard(options: { seed?: boolean } = {}): Dashboard {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let seeded: Seeded | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    if (options.seed) seeded = await seedOrganization(server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const dashboard: Dashboard = {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    get seeded() {
      return started(seeded, 'seeded organization (pass { seed: true })');
    },
    async signedIn(person, width = 'desktop', permissions = []) {
      const page = await newPage(dashboard.browser, width, permissions);
      await signIn(page, dashboard.server.url, person.email, person.password);
      return page;
    },
    async personOn(person, path, width = 'desktop') {
      const page = await dashboard.signedIn(person, width);
      await page.goto(dashboard.server.url + path);
      return page;
    },
    adminOn(path, width = 'desktop') {
      return dashboard.personOn(dashboard.seeded.admin, path, width);
    },
  };
  return dashboard;
}

/**
 * One extra server for a file's tests (e.g. one configured differently), started before the first
 * test and stopped after the last. Returns an accessor, for the same reason as `useDashboard`.
 */
export function useServer(env: Record<string, string> = {}): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(env);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => started(server, 'server');
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the ${what} is not ready: use it inside a test`);
  return value;
}
