import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOrgId, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ingest, member, query } from './setup.js';

// The three clients of the customer page, pasted as they stand; only the base URL (and, for
// cURL, the placeholder token) is swapped before they run against a server on loopback.
const SPEC_URL = 'https://api.abscore.app';
const SPEC_TOKEN = 'abs_pat_7f2b9a...1c3e8';
const here = new URL('./clients/', import.meta.url);

let server: TestServer;
let dir: string;
let tokens: { good: string; writeOnly: string; spent: string };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with a clean environment: no proxy variables, only the token. */
function run(file: string, args: string[], token: string): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ABS_PAT_TOKEN: token };
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function pasted(name: string, replacements: Array<[string, string]>): string {
  let text = readFileSync(new URL(name, here), 'utf8');
  for (const [from, to] of replacements) {
    expect(text).toContain(from);
    text = text.replaceAll(from, to);
  }
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  server = await startTestServer();
  const now = Date.now();
  server.services.now = () => now; // keeps the spent token's one-request window whole
  dir = mkdtempSync(join(tmpdir(), 'abs-clients-'));
  const orgId = await adminOrgId(server);
  const op = await member(server, orgId, 'operator');
  const writer = await member(server, orgId, 'operator', { scope: 'runtime:write' });
  const spent = await member(server, orgId, 'operator');
  await server.services.db
    .updateTable('tokens')
    .set({ rate_limit: '1/60s' })
    .where('id', '=', spent.tokenId)
    .execute();
  expectStatus(await query(server, spent.pat), 200);
  expectStatus(await query(server, spent.pat), 429);
  for (let i = 0; i < 3; i++) {
    expectStatus(await ingest(server, op.pat, { event_type: 'spec', payload: { i } }), 201);
  }
  tokens = { good: op.pat, writeOnly: writer.pat, spent: spent.pat };
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A client run that succeeded and printed the three seeded events, newest first. */
function expectNewestFirst(out: Run) {
  expect(out.code, out.stderr).toBe(0);
  const body = JSON.parse(out.stdout);
  expect(body.data.map((e: { payload: unknown }) => e.payload)).toEqual([
    { i: 2 },
    { i: 1 },
    { i: 0 },
  ]);
  return body;
}
describe('the cURL example', () => {
  const curl = (token: string) => {
    const script = pasted('query.sh', [
      [SPEC_URL, server.url],
      [SPEC_TOKEN, token],
    ]);
    return run('bash', [script], token);
  };

  it('returns the newest events', async () => {
    const out = await curl(tokens.good);
    const body = expectNewestFirst(out);
    expect(body.nextCursor).toBeNull();
  });

  it('shows the problem details of a 401, a 403 and a 429', async () => {
    const unknown = JSON.parse((await curl(SPEC_TOKEN)).stdout);
    expect(unknown).toMatchObject({ status: 401, code: 'invalid_token' });
    const scope = JSON.parse((await curl(tokens.writeOnly)).stdout);
    expect(scope).toMatchObject({ status: 403, code: 'insufficient_scope' });
    const limited = JSON.parse((await curl(tokens.spent)).stdout);
    expect(limited).toMatchObject({ status: 429, code: 'rate_limited' });
  });
});

describe('the Next.js / Node fetch example', () => {
  const getEvents = (token: string) => {
    const module = pathToFileURL(pasted('get-events.mjs', [[SPEC_URL, server.url]])).href;
    const program =
      'const { getEvents } = await import(process.argv[1]);' +
      'try { console.log(JSON.stringify(await getEvents())); }' +
      'catch (error) { console.log(`thrown: ${error.message}`); }';
    return run(process.execPath, ['--input-type=module', '-e', program, module], token);
  };

  it('returns the events as JSON', async () => {
    const out = await getEvents(tokens.good);
    expect(out.code, out.stderr).toBe(0);
    const body = JSON.parse(out.stdout);
    expect(body.data).toHaveLength(3);
    expect(body.data[0]).toMatchObject({ event_type: 'spec', payload: { i: 2 } });
  });

  it.each([
    ["the page's placeholder token", 'unknown', 'thrown: Invalid PAT token or expired.'],
    ['a token without runtime:read', 'writeOnly', 'thrown: PAT lacks required scopes.'],
    ['a spent token', 'spent', 'thrown: API Error: Too Many Requests'],
  ])('reaches its error branch for %s', async (_title, which, message) => {
    const token = which === 'unknown' ? SPEC_TOKEN : tokens[which as keyof typeof tokens];
    const out = await getEvents(token);
    expect(out.stdout.trim(), out.stderr).toBe(message);
  });
});

describe('the Python httpx example', () => {
  const fetchEvents = (token: string) => {
    pasted('fetch_governance_events.py', [[SPEC_URL, server.url]]);
    const program = [
      'import asyncio, json, sys',
      `sys.path.insert(0, ${JSON.stringify(dir)})`,
      'from fetch_governance_events import fetch_governance_events',
      'print(json.dumps(asyncio.run(fetch_governance_events())))',
    ].join('\n');
    // Debian's interpreter, where python3-httpx is installed (scripts/system-deps.sh).
    return run('/usr/bin/python3', ['-c', program], token);
  };

  it('returns the events as JSON', async () => {
    expectNewestFirst(await fetchEvents(tokens.good));
  });

  it('backs off on a 429 for the Retry-After it was given', async () => {
    const out = await fetchEvents(tokens.spent);
    expect(out.code, out.stderr).toBe(0);
    const [line, result] = out.stdout.trim().split('\n');
    expect(line).toMatch(/^Rate limited\. Backing off for ([1-9]|[1-5]\d|60)s$/);
    expect(result).toBe('null');
  });

  it.each([
    ["the page's placeholder token", 'unknown', '401 Unauthorized'],
    ['a token without runtime:read', 'writeOnly', '403 Forbidden'],
  ])('raises for %s', async (_title, which, status) => {
    const token = which === 'unknown' ? SPEC_TOKEN : tokens[which as keyof typeof tokens];
    const out = await fetchEvents(token);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('httpx.HTTPStatusError');
    expect(out.stderr).toContain(`Client error '${status}'`);
  });
});
