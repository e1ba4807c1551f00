import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOrgId, call, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectTooMany, freezeClock, freshAddress, limits } from './limits.js';
import { event, ingest, member, query, storedEvents } from './setup.js';

describe('per-token budgets', () => {
  let server: TestServer;
  let orgId: string;
  beforeAll(async () => {
    // Trusting loopback as a proxy lets requests without a token pick an unshared address.
    server = await startTestServer({ ABS_RATE_LIMIT: '5/60s', ABS_TRUST_PROXY: '127.0.0.1' });
    freezeClock(server);
    orgId = await adminOrgId(server);
  });
  afterAll(() => server.stop());

  it('counts every answer against the token and says so on each, until a 429', async () => {
    const op = await member(server, orgId, 'operator');
    const replies = [
      await ingest(server, op.pat, event(1)),
      await query(server, op.pat),
      await ingest(server, op.pat, { event_type: '' }),
      await call(server, 'POST', '/v1/events/unknown', { token: op.pat, json: {} }),
      await query(server, op.pat),
    ];
    expect(replies.map((r) => r.status)).toEqual([201, 200, 400, 404, 200]);
    expect(replies.map((r) => limits(r))).toEqual(
      [4, 3, 2, 1, 0].map((r) => ({ name: 'token', q: 5, w: 60, r, t: expect.any(Number) })),
    );
    const count = (await storedEvents(server, orgId)).length;
    expectTooMany(await query(server, op.pat), 'token');
    expectTooMany(await ingest(server, op.pat, event(2)), 'token');
    expect((await storedEvents(server, orgId)).length).toBe(count);
  });

  it('leaves the budgets of other tokens, even of the same person, untouched', async () => {
    const op = await member(server, orgId, 'operator');
    for (let i = 0; i < 5; i++) await query(server, op.pat);
    expectTooMany(await query(server, op.pat), 'token');
    const other = await member(server, orgId, 'viewer');
    const reply = await query(server, other.pat);
    expectStatus(reply, 200);
    expect(limits(reply)).toMatchObject({ name: 'token', q: 5, r: 4 });
    const sameOwner = await call(server, 'POST', '/token', { token: op.session, json: {} });
    const second = await query(server, sameOwner.body.accessToken);
    expectStatus(second, 200);
    expect(limits(second).r).toBe(4);
    expectTooMany(await query(server, op.pat), 'token');
  });

  it('applies a per-token budget stored on the token, smaller or larger', async () => {
    const small = await member(server, orgId, 'operator');
    const large = await member(server, orgId, 'operator');
    for (const [who, limit] of [
      [small, '2/60s'],
      [large, '8/1m'],
    ] as const) {
      await server.services.db
        .updateTable('tokens')
        .set({ rate_limit: limit })
        .where('id', '=', who.tokenId)
        .execute();
    }
    expect(limits(await query(server, small.pat))).toMatchObject({ q: 2, w: 60, r: 1 });
    expectStatus(await query(server, small.pat), 200);
    expectTooMany(await query(server, small.pat), 'token');
    for (let i = 7; i >= 0; i--) {
      const reply = await query(server, large.pat);
      expectStatus(reply, 200);
      expect(limits(reply)).toMatchObject({ q: 8, r: i });
    }
    expectTooMany(await query(server, large.pat), 'token');
  });

  it('falls back to the default budget when a stored one cannot be read', async () => {
    const op = await member(server, orgId, 'operator');
    await server.services.db
      .updateTable('tokens')
      .set({ rate_limit: 'lots' })
      .where('id', '=', op.tokenId)
      .execute();
    expect(limits(await query(server, op.pat))).toMatchObject({ q: 5, r: 4 });
    expect(server.logs.some((l) => l.includes('token rate limit unreadable'))).toBe(true);
  });

  it('puts the fields on refusals too: 401, 403 and 413', async () => {
    const viewer = await member(server, orgId, 'viewer');
    const forbidden = await ingest(server, viewer.pat, event(1));
    expectStatus(forbidden, 403);
    expect(limits(forbidden)).toMatchObject({ name: 'token', r: 4 });
    const op = await member(server, orgId, 'operator');
    const big = await ingest(server, op.pat, event(1, { pad: 'x'.repeat(200 * 1024) }));
    expectStatus(big, 413);
    expect(limits(big)).toMatchObject({ name: 'token', r: 4 });
    const anonymous = await call(server, 'POST', '/v1/events/query', {
      json: {},
      headers: { 'x-forwarded-for': freshAddress() },
    });
    expectStatus(anonymous, 401);
    expect(limits(anonymous)).toMatchObject({ name: 'address', q: 5, r: 4 });
  });
});
