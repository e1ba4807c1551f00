import { expect } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer } from './server.js';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One HTTP request on loopback; the body is parsed as JSON when it is JSON. */
export async function call<T = any>(
  server: { url: string },
  method: string,
  path: string,
  opts: {
    token?: string;
    json?: unknown;
    headers?: Record<string, string>;
    body?: string | Uint8Array<ArrayBuffer>;
  } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(opts.json);
  }
  const response = await fetch(server.url + path, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Asserts the status, showing the whole answer when it differs. */
export function expectStatus(reply: Reply, status: number): void {
  expect(reply.status, `${reply.status} ${reply.text}`).toBe(status);
}

export async function login(
  server: { url: string },
  email = ADMIN_EMAIL,
  password = ADMIN_PASSWORD,
) {
  const reply = await call(server, 'POST', '/login', { json: { email, password } });
  expectStatus(reply, 200);
  return reply.body.token as string;
}

export async function issuePat(server: { url: string }, session: string, request: object = {}) {
  const reply = await call(server, 'POST', '/token', { token: session, json: request });
  expectStatus(reply, 201);
  return reply.body.accessToken as string;
}

/** The first admin's organization id. */
export async function adminOrgId(server: TestServer): Promise<string> {
  const row = await server.services.db
    .selectFrom('users')
    .select('org_id')
    .where('email', '=', ADMIN_EMAIL)
    .executeTakeFirstOrThrow();
  return row.org_id;
}
