import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOrgId, expectStatus, login } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ingest, ingestBatch, member, query } from './setup.js';

// Staging and production servers may share one database: the account manager issues tokens of
// both environments from one place. Each server must still see only the events of its own.

let production: TestServer;
let staging: TestServer;
let orgId: string;
let prodPat: string;
let stagingPat: string;
const sent = { production: [] as string[], staging: [] as string[] };

const ids = (reply: Awaited<ReturnType<typeof query>>) =>
  reply.body.data.map((e: { id: string }) => e.id) as string[];

beforeAll(async () => {
  production = await startTestServer();
  // The staging server reads and writes the production server's database.
  staging = await startTestServer({
    ABS_ENVIRONMENT: 'staging',
    DATABASE_URL: production.env.DATABASE_URL!,
  });
  orgId = await adminOrgId(production);
  prodPat = (await member(production, orgId, 'operator')).pat;
  stagingPat = (await member(staging, orgId, 'operator')).pat;
  for (const [server, pat, list] of [
    [production, prodPat, sent.production],
    [staging, stagingPat, sent.staging],
  ] as const) {
    const one = await ingest(server, pat, { event_type: 'tool.call', payload: { n: 0 } });
    expectStatus(one, 201);
    const batch = [1, 2, 3].map((n) => ({ event_type: 'tool.call', payload: { n } }));
    const many = await ingestBatch(server, pat, batch);
    expectStatus(many, 201);
    list.push(one.body.id, ...many.body.ids);
  }
});
afterAll(async () => {
  await staging?.stop();
  await production?.stop();
});

describe('events of two environments in one database', () => {
  it('stores each event with the environment of the server that accepted it', async () => {
    const rows = await production.services.db
      .selectFrom('events')
      .select(['id', 'environment'])
      .where('org_id', '=', orgId)
      .execute();
    const environmentOf = Object.fromEntries(rows.map((row) => [row.id, row.environment]));
    for (const id of sent.production) expect(environmentOf[id]).toBe('production');
    for (const id of sent.staging) expect(environmentOf[id]).toBe('staging');
    expect(rows).toHaveLength(8);
  });

  it("shows each environment's token only the events of its own environment", async () => {
    const prod = await query(production, prodPat, { limit: 1000 });
    expectStatus(prod, 200);
    expect(ids(prod)).toEqual([...sent.production].reverse());
    const stage = await query(staging, stagingPat, { limit: 1000 });
    expectStatus(stage, 200);
    expect(ids(stage)).toEqual([...sent.staging].reverse());
  });

  it("shows a signed-in person only the events of the server's environment", async () => {
    const session = await login(staging);
    const reply = await query(staging, session, { limit: 1000 });
    expectStatus(reply, 200);
    expect(ids(reply)).toEqual([...sent.staging].reverse());
    const onProduction = await query(production, session, { limit: 1000 });
    expect(ids(onProduction)).toEqual([...sent.production].reverse());
  });

  it('does not let a filter reach the events of the other environment', async () => {
    const reply = await query(staging, stagingPat, {
      event_type: 'tool.call',
      since: '2000-01-01',
    });
    expect(ids(reply).filter((id) => sent.production.includes(id))).toEqual([]);
  });

  it('pages within one environment and refuses the cursor of the other', async () => {
    const walked: string[] = [];
    let cursor: string | undefined;
    do {
      const reply = await query(staging, stagingPat, { limit: 1, ...(cursor ? { cursor } : {}) });
      expectStatus(reply, 200);
      walked.push(...ids(reply));
      cursor = reply.body.nextCursor ?? undefined;
    } while (cursor !== undefined && walked.length < 10);
    expect(walked).toEqual([...sent.staging].reverse());

    const stagingCursor = (await query(staging, stagingPat, { limit: 1 })).body.nextCursor;
    const prodCursor = (await query(production, prodPat, { limit: 1 })).body.nextCursor;
    const madeUp = await query(production, prodPat, { cursor: 'ZTE6ZXZ0X2FhYWFhYWFhYWFhYWFhYWE' });
    expectStatus(madeUp, 400);
    for (const [server, pat, foreign] of [
      [production, prodPat, stagingCursor],
      [staging, stagingPat, prodCursor],
    ] as const) {
      const reply = await query(server, pat, { cursor: foreign });
      expectStatus(reply, 400);
      expect(reply.body).toEqual(madeUp.body);
      expect(reply.body.code).toBe('invalid_cursor');
    }
  });
});

describe('a token of the other environment', () => {
  it('is still refused on each server, and stores nothing', async () => {
    const count = async () =>
      (await production.services.db.selectFrom('events').select('id').execute()).length;
    const before = await count();
    const wrong = await ingest(staging, prodPat, { event_type: 'tool.call', payload: {} });
    expectStatus(wrong, 401);
    expect(wrong.body.code).toBe('wrong_environment');
    const read = await query(production, stagingPat);
    expectStatus(read, 401);
    expect(read.body.code).toBe('wrong_environment');
    expect(await count()).toBe(before);
  });
});
