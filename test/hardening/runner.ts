import fc from 'fast-check';
import { expect } from 'vitest';
import { expectUnchanged, snapshot } from './digest.js';
import { forwardedFor, headerText, hostileBody, urlPart } from './arbitraries.js';
import { send, type RawReply, type RawRequest } from './http.js';
import type { Auth, RouteSpec } from './routes.js';
import type { World } from './world.js';

/** Generated cases per route: fixed, with a fixed seed, so a CI run is the same every time. */
export const RUNS = Number(process.env.HOSTILE_RUNS ?? 60);
export const SEED = Number(process.env.HOSTILE_SEED ?? 20261204);

/** Every shape of Authorization a client could send, built from real and broken secrets. */
export function hostileAuthorization(world: World): fc.Arbitrary<string> {
  const good = world.adminPat;
  const flipped = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
  return fc.oneof(
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'bearer',
      `Basic ${Buffer.from('admin@example.test:pw').toString('base64')}`,
      `Token ${good}`,
      `Bearer=${good}`,
      `Bearer ${good} ${good}`,
      `Bearer\t${good}`,
      `Bearer ${flipped}`,
      `Bearer ${good.slice(0, -3)}`,
      `Bearer ${good}x`,
      `Bearer ${good.replace('abs_pat_', 'abs_ses_')}`,
      `Bearer ${world.revokedPat}`,
      `Bearer ${world.stagingPat}`,
      `Bearer "${good}"`,
      `Bearer ${'a'.repeat(9000)}`,
      `Bearer abs_pat_${'0'.repeat(38)}`,
      'Bearer \u00ff\u00fe\u00e9',
      'Negotiate YIIB',
    ),
    headerText(80),
    headerText(40).map((t) => `Bearer ${t}`),
  );
}

type Headers = Record<string, string>;
const bearer = (secret: string): Headers => ({ authorization: `Bearer ${secret}` });

/** The credentials that should get a request past the gate of a route. */
function goodCredentials(auth: Auth, w: World): Headers[] {
  switch (auth) {
    case 'none':
      return [{}];
    case 'session':
      return [bearer(w.adminSession), cookie(w, true)];
    case 'any':
      return [bearer(w.adminSession), bearer(w.adminPat), bearer(w.operatorPat), cookie(w, true)];
    case 'admin':
      return [bearer(w.adminSession), bearer(w.adminPat), cookie(w, true)];
    case 'admin-session':
      return [bearer(w.adminSession), cookie(w, true)];
    case 'write':
      return [bearer(w.operatorPat), bearer(w.adminPat)];
    case 'read':
      return [bearer(w.operatorPat), bearer(w.adminPat), bearer(w.adminSession)];
  }
}

function cookie(w: World, csrf: boolean): Headers {
  return {
    cookie: `abs_session=${w.adminSession}`,
    ...(csrf ? { 'x-csrf-token': w.adminCsrf } : {}),
  };
}

function credentials(route: RouteSpec, w: World): fc.Arbitrary<Headers> {
  const refused = fc.oneof(
    hostileAuthorization(w).map((authorization) => ({ authorization })),
    fc.constant({}),
    fc.constant(cookie(w, false)),
    fc.constant({ ...cookie(w, true), origin: 'https://evil.example' }),
    headerText(60).map((value) => ({ cookie: `abs_session=${value}` })),
  );
  if (route.consumesCredential) return refused;
  return fc.oneof(
    { arbitrary: fc.constantFrom(...goodCredentials(route.auth, w)), weight: 3 },
    { arbitrary: refused, weight: 2 },
  );
}

const extraHeaders: fc.Arbitrary<Headers> = fc
  .record(
    {
      'x-forwarded-for': forwardedFor,
      accept: fc.constantFrom('text/html', 'application/json', '*/*', 'image/png', ''),
      'user-agent': fc.oneof(headerText(40), fc.constant('u'.repeat(8000))),
      origin: fc.constantFrom('null', 'https://evil.example', 'http://127.0.0.1'),
      'content-encoding': fc.constantFrom('gzip', 'br', 'identity'),
      'x-http-method-override': fc.constantFrom('DELETE', 'PUT'),
      'if-none-match': headerText(40),
    },
    { requiredKeys: [] },
  )
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== '')));

function pathOf(route: RouteSpec, w: World): fc.Arbitrary<string> {
  if (route.path === '/*') {
    return fc.array(urlPart, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
  }
  if (!route.path.includes('/:')) return fc.constant(route.path);
  const real = (route.ids ?? []).map((name) => w[name]);
  const param = real.length
    ? fc.oneof(
        { arbitrary: fc.constantFrom(...real), weight: 1 },
        { arbitrary: urlPart, weight: 3 },
      )
    : urlPart;
  return param.map((value) => route.path.replace(/:\w+/, value));
}

function queryOf(route: RouteSpec): fc.Arbitrary<string> {
  const known = Object.entries(route.query ?? {});
  const key = fc.oneof(
    ...(known.length ? [fc.constantFrom(...known.map(([k]) => k))] : []),
    urlPart,
  );
  const pair = key.chain((k) => {
    const good = route.query && Object.hasOwn(route.query, k) ? route.query[k] : undefined;
    const value = good
      ? fc.oneof(fc.constantFrom(...good.map(encodeURIComponent)), urlPart)
      : urlPart;
    return value.map((v) => `${k}=${v}`);
  });
  return fc.option(
    fc.array(pair, { maxLength: 5 }).map((pairs) => `?${pairs.join('&')}`),
    {
      nil: '',
    },
  );
}

/** One generated request to one route, with the exact bytes to send. */
export function requestFor(route: RouteSpec, w: World): fc.Arbitrary<RawRequest> {
  const body = route.body ? hostileBody(route.body) : hostileBody({}).map((b) => b && null);
  return fc
    .record({
      path: pathOf(route, w),
      query: queryOf(route),
      auth: credentials(route, w),
      extra: extraHeaders,
      body: fc.oneof(
        { arbitrary: body, weight: route.body ? 9 : 1 },
        { arbitrary: hostileBody({}), weight: 1 },
      ),
    })
    .map(({ path, query, auth, extra, body: b }) => {
      const headers: Headers = { ...extra, ...auth };
      if (b?.type !== undefined) headers['content-type'] = b.type;
      return { method: route.method, path: path + query, headers, body: b?.bytes };
    });
}

export interface RunStats {
  statuses: Map<number, number>;
  /** Answers that got past the credential check and the URL check: the handler judged them. */
  reachedHandler: number;
}

/** Codes of refusals made before a route's own handler looks at the request. */
const GATE_CODES = new Set([
  'missing_token',
  'invalid_token',
  'wrong_environment',
  'csrf_failed',
  'session_required',
  'insufficient_scope',
  'invalid_characters',
  'rate_limited',
]);

function judgedByHandler(reply: RawReply): boolean {
  if (reply.status < 400) return true;
  if (reply.status === 431 || (reply.text === '' && reply.headers.connection === 'close')) {
    return false;
  }
  const type = String(reply.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json') || reply.text === '') return true;
  return !GATE_CODES.has((JSON.parse(reply.text) as { code: string }).code);
}

/**
 * Sends generated requests to one route. Each answer must be a deliberate one (below 500, a
 * problem document when it is an error), and a refused request must leave the data as it was.
 */
export async function hammer(route: RouteSpec, w: World, runs = RUNS): Promise<RunStats> {
  const statuses = new Map<number, number>();
  let reachedHandler = 0;
  await fc.assert(
    fc.asyncProperty(requestFor(route, w), async (request) => {
      const before = await snapshot(w.server.services.db);
      const reply = await send(w.server, request);
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      expectDeliberate(reply, request);
      if (judgedByHandler(reply)) reachedHandler += 1;
      if (reply.status >= 400) {
        expectUnchanged(before, await snapshot(w.server.services.db), describe(request));
      }
    }),
    { numRuns: runs, seed: SEED, endOnFailure: true },
  );
  return { statuses, reachedHandler };
}

function describe(request: RawRequest): string {
  return `${request.method} ${request.path.slice(0, 200)}`;
}

export function expectDeliberate(reply: RawReply, request: RawRequest): void {
  const what = `${describe(request)} -> ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, what).toBeGreaterThanOrEqual(200);
  expect(reply.status, what).toBeLessThan(500);
  // Node answers a request it cannot parse (431, or a 400 for broken framing) by itself, bare.
  if (reply.status >= 400 && reply.text === '' && reply.headers.connection === 'close') return;
  if (reply.status >= 400) {
    const type = String(reply.headers['content-type'] ?? '');
    if (request.method === 'HEAD') {
      // A HEAD answer has headers only.
    } else if (type.startsWith('application/problem+json')) {
      const problem = JSON.parse(reply.text) as { status: number; code: unknown };
      expect(problem.status, what).toBe(reply.status);
      expect(typeof problem.code, what).toBe('string');
    } else {
      // Only the GitHub refusal page and the dashboard's 404 page answer errors in HTML.
      expect(type, what).toMatch(/^text\/html/);
    }
  }
  expect(reply.headers['x-content-type-options'], what).toBe('nosniff');
}
