import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSecret } from '../../src/secrets.js';
import { adminOrgId, call, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectTooMany, freezeClock, freshAddress, limits } from './limits.js';
import { event, ingest, member, query } from './setup.js';

describe('budgets of requests without a valid token', () => {
  let server: TestServer;
  let orgId: string;
  beforeAll(async () => {
    // Counters in this process (REDIS_URL empty): the loopback address is then not shared with
    // the servers of other test files that may use the same Redis.
    server = await startTestServer({ ABS_RATE_LIMIT: '3/60s', REDIS_URL: '' });
    freezeClock(server);
    orgId = await adminOrgId(server);
  });
  afterAll(() => server.stop());

  it('limits them per client address, whatever X-Forwarded-For says', async () => {
    const tries = [undefined, mintSecret('pat').secret, 'abs_pat_nonsense'];
    const replies = [];
    for (const token of tries) {
      replies.push(
        await call(server, 'POST', '/v1/events/query', {
          token,
          json: {},
          headers: { 'x-forwarded-for': freshAddress() },
        }),
      );
    }
    expect(replies.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(replies.map((r) => limits(r).r)).toEqual([2, 1, 0]);
    expect(replies.every((r) => limits(r).name === 'address')).toBe(true);
    for (const address of [freshAddress(), '127.0.0.2', 'unknown']) {
      const reply = await call(server, 'POST', '/v1/events/ingest', {
        token: mintSecret('pat').secret,
        json: event(1),
        headers: { 'x-forwarded-for': address },
      });
      expectTooMany(reply, 'address');
    }
  });

  it('still serves a valid token from that same address, on its own budget', async () => {
    const op = await member(server, orgId, 'operator');
    const reply = await ingest(server, op.pat, event(1));
    expectStatus(reply, 201);
    expect(limits(reply)).toMatchObject({ name: 'token', q: 3, r: 2 });
  });

  it('answers a refused token past the budget with a 429 that adds no audit entry', async () => {
    const staging = await member(server, orgId, 'admin', { environment: 'staging' });
    const refusals = () =>
      server.services.db
        .selectFrom('audit_entries')
        .select('id')
        .where('target_id', '=', staging.tokenId)
        .where('action', '=', 'token.refused')
        .execute()
        .then((rows) => rows.length);
    expectStatus(await call(server, 'GET', '/verify', { token: staging.pat }), 401);
    const before = await refusals();
    expect(before).toBe(1); // /verify is outside /v1: refused and recorded, not limited
    expectTooMany(await query(server, staging.pat), 'address');
    expect(await refusals()).toBe(before);
  });
});

describe('behind a trusted proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      ABS_RATE_LIMIT: '2/60s',
      ABS_TRUST_PROXY: '127.0.0.1',
      REDIS_URL: '',
    });
    freezeClock(server);
  });
  afterAll(() => server.stop());

  it('gives each forwarded client address its own budget', async () => {
    const send = (address: string) =>
      call(server, 'POST', '/v1/events/query', {
        json: {},
        headers: { 'x-forwarded-for': address },
      });
    const a = freshAddress();
    expect(limits(await send(a)).r).toBe(1);
    expect(limits(await send(a)).r).toBe(0);
    expectTooMany(await send(a), 'address');
    expectTooMany(await send(`${freshAddress()}, ${a}`), 'address');
    const b = await send(freshAddress());
    expectStatus(b, 401);
    expect(limits(b).r).toBe(1);
  });
});
