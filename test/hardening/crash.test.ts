import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/db/connect.js';
import { call, expectStatus } from '../support/client.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  freshDatabase,
  type FreshDatabase,
} from '../support/server.js';
import { expectChainsIntact } from './digest.js';

const BATCH = 10;

interface Acknowledged {
  events: string[];
  batches: Map<string, string[]>;
  issued: string[];
  revoked: string[];
}

let database: FreshDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await freshDatabase();
  env = {
    DATABASE_URL: database.url,
    ABS_ADMIN_EMAIL: ADMIN_EMAIL,
    ABS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ABS_RATE_LIMIT: '1000000/60s',
  };
});
afterAll(() => database.drop());

async function signIn(server: { url: string }) {
  const reply = await call(server, 'POST', '/login', {
    json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  expectStatus(reply, 200);
  return reply.body.token as string;
}

/**
 * Writes as fast as the server takes them, from several clients at once, and notes each write
 * whose 2xx answer arrived. Stops at the first failure: the server is gone.
 */
async function burst(server: ServerProcess, session: string, pat: string, ack: Acknowledged) {
  let serial = 0;
  const safely = async (step: () => Promise<void>) => {
    try {
      for (;;) await step();
    } catch {
      // A refused connection or a cut answer: the process was killed.
    }
  };
  const ingest = async () => {
    const reply = await call(server, 'POST', '/v1/events/ingest', {
      token: pat,
      json: { event_type: 'crash.single', payload: { n: serial++ } },
    });
    if (reply.status === 201) ack.events.push(reply.body.id);
  };
  const batch = async () => {
    const marker = `batch-${serial++}`;
    const events = Array.from({ length: BATCH }, (_, i) => ({
      event_type: 'crash.batch',
      payload: { marker, i },
    }));
    const reply = await call(server, 'POST', '/v1/events/ingest/batch', {
      token: pat,
      json: { events },
    });
    if (reply.status === 201) ack.batches.set(marker, reply.body.ids);
  };
  const issueAndRevoke = async () => {
    const issued = await call(server, 'POST', '/token', {
      token: session,
      json: { name: 'crash' },
    });
    if (issued.status !== 201) throw new Error(`issue ${issued.status}`);
    ack.issued.push(issued.body.tokenId);
    const revoked = await call(server, 'DELETE', `/tokens/${issued.body.tokenId}`, {
      token: session,
    });
    if (revoked.status === 204) ack.revoked.push(issued.body.tokenId);
  };
  await Promise.all([ingest, ingest, batch, batch, issueAndRevoke, issueAndRevoke].map(safely));
}

describe('a kill -9 in the middle of a write burst', () => {
  let ack: Acknowledged;
  let db: Connection;

  it('restarts on the same database with an intact audit chain', async () => {
    const first = await spawnServer(env);
    const session = await signIn(first);
    const issued = await call(first, 'POST', '/token', {
      token: session,
      json: { name: 'writer' },
    });
    expectStatus(issued, 201);
    ack = { events: [], batches: new Map(), issued: [], revoked: [] };
    const running = burst(first, session, issued.body.accessToken, ack);
    // Kill once a good number of each kind of write has been acknowledged, while more are sent.
    const deadline = Date.now() + 20_000;
    while (ack.events.length < 60 || ack.batches.size < 20 || ack.revoked.length < 10) {
      if (Date.now() > deadline) throw new Error(`burst stalled: ${first.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await first.kill();
    await running;

    const second = await spawnServer(env);
    try {
      const health = await call(second, 'GET', '/health');
      expectStatus(health, 200);
      const verify = await call(second, 'GET', '/admin/audit/verify', {
        token: await signIn(second),
      });
      expectStatus(verify, 200);
      expect(verify.body.intact).toBe(true);
    } finally {
      expect(await second.stop()).toBe(0);
    }
    db = connect(database.url);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('keeps every acknowledged event and every acknowledged batch whole', async () => {
    const rows = await db.db.selectFrom('events').select(['id', 'event_type', 'payload']).execute();
    const ids = new Set(rows.map((row) => row.id));
    for (const id of ack.events) expect(ids.has(id), id).toBe(true);
    for (const batchIds of ack.batches.values()) {
      for (const id of batchIds) expect(ids.has(id), id).toBe(true);
    }
    // Acknowledged or not, a batch is stored entirely or not at all.
    const perBatch = new Map<string, number>();
    for (const row of rows.filter((r) => r.event_type === 'crash.batch')) {
      const { marker } = JSON.parse(row.payload) as { marker: string };
      perBatch.set(marker, (perBatch.get(marker) ?? 0) + 1);
    }
    for (const [marker, count] of perBatch) expect(count, marker).toBe(BATCH);
  });

  it('keeps every acknowledged token and revocation, each with its audit entry', async () => {
    const tokens = await db.db.selectFrom('tokens').select(['id', 'revoked_at']).execute();
    const audit = await db.db.selectFrom('audit_entries').select(['action', 'target_id']).execute();
    const audited = (action: string) =>
      new Set(audit.filter((a) => a.action === action).map((a) => a.target_id));
    const issuedAudit = audited('token.issued');
    const revokedAudit = audited('token.revoked');
    const byId = new Map(tokens.map((t) => [t.id, t]));
    for (const id of ack.issued) expect(byId.has(id), id).toBe(true);
    for (const id of ack.revoked) expect(byId.get(id)?.revoked_at, id).not.toBeNull();
    // Nothing half-written, acknowledged or not: a token exists exactly when its issue was
    // audited, and a revocation exactly when it was audited.
    expect(new Set(tokens.map((t) => t.id))).toEqual(issuedAudit);
    const revoked = tokens.filter((t) => t.revoked_at !== null).map((t) => t.id);
    expect(new Set(revoked)).toEqual(revokedAudit);
    await expectChainsIntact(db.db);
  });

  it('runs SQLite in WAL mode with a full sync on every commit', async () => {
    if (!database.url.startsWith('sqlite:')) return;
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.db);
    const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(db.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    expect(sync.rows[0]?.synchronous).toBe(2); // FULL
  });
});
