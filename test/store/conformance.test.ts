import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/audit/ledger.js';
import { connect, type Connection } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrations.js';
import { newId } from '../../src/ids.js';
import { mintSecret } from '../../src/secrets.js';
import {
  findEventSeq,
  insertEvents,
  listEvents,
  type EventFilter,
} from '../../src/store/events.js';
import { claimOAuthState, insertOAuthState } from '../../src/store/oauth-states.js';
import {
  findOrganization,
  insertOrganization,
  updateOrganization,
} from '../../src/store/organizations.js';
import { findSessionByHash, insertSession, revokeUserSessions } from '../../src/store/sessions.js';
import {
  findTokenByHash,
  insertToken,
  markTokensUsed,
  revokeToken,
} from '../../src/store/tokens.js';
import { countUsers, findUserByEmail, insertUser, type User } from '../../src/store/users.js';
import { freshDatabase, type FreshDatabase } from '../support/server.js';

// The storage layer's contract, run unchanged on SQLite and on PostgreSQL (TEST_POSTGRES_URL):
// whatever a caller can observe through these functions must not depend on the dialect.
let database: FreshDatabase;
let conn: Connection;
const orgId = newId('org');
const now = Date.now();

beforeAll(async () => {
  database = await freshDatabase();
  conn = connect(database.url);
  await migrate(conn.db, conn.dialect);
  await insertOrganization(conn.db, {
    id: orgId,
    name: 'Conformance',
    selfServiceTokens: true,
    githubSignup: false,
    createdAt: now,
  });
});
afterAll(async () => {
  await conn.close();
  await database.drop();
});

function aUser(email: string): User {
  return {
    id: newId('usr'),
    orgId,
    email,
    name: 'N',
    avatar: null,
    role: 'operator',
    provider: 'password',
    passwordHash: null,
    githubId: null,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  };
}

function anEvent(environment: string, i: number) {
  return {
    id: newId('evt'),
    org_id: orgId,
    environment,
    token_id: 'tok_x',
    user_id: 'usr_x',
    event_type: i % 2 ? 'odd' : 'even',
    agent_id: null,
    payload: '{}',
    metadata: null,
    occurred_at: null,
    received_at: now + i,
  };
}

describe(`storage on ${process.env.TEST_POSTGRES_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  it('runs migrations once and again without change', async () => {
    expect(await migrate(conn.db, conn.dialect)).toEqual([]);
  });

  it('keeps one account per email whatever its case, and refuses a duplicate', async () => {
    await insertUser(conn.db, aUser('Case@Example.TEST'));
    expect((await findUserByEmail(conn.db, 'case@example.test'))?.email).toBe('case@example.test');
    await expect(insertUser(conn.db, aUser('CASE@example.test'))).rejects.toThrow();
    expect(await countUsers(conn.db)).toBe(1);
  });

  it('finds a token by hash with its owner, times as numbers, and revokes it once', async () => {
    const owner = aUser('owner@example.test');
    await insertUser(conn.db, owner);
    const minted = mintSecret('pat');
    const id = newId('tok');
    await insertToken(conn.db, {
      id,
      org_id: orgId,
      user_id: owner.id,
      name: 't',
      environment: 'production',
      scope: 'runtime:read',
      secret_hash: minted.hash,
      prefix: minted.displayPrefix,
      created_at: now,
      created_by: owner.id,
      last_used_at: null,
      expires_at: now + 1000,
      revoked_at: null,
      rotated_from: null,
      rotated_to: null,
      rate_limit: null,
    });
    const row = await findTokenByHash(conn.db, minted.hash);
    expect(row).toMatchObject({
      token_id: id,
      user_id: owner.id,
      email: owner.email,
      role: 'operator',
    });
    expect(row!.expires_at).toBe(now + 1000);
    expect(await findTokenByHash(conn.db, mintSecret('pat').hash)).toBeUndefined();
    expect(await revokeToken(conn.db, id, now)).toBe(true);
    expect(await revokeToken(conn.db, id, now + 1)).toBe(false);
    expect((await findTokenByHash(conn.db, minted.hash))!.revoked_at).toBe(now);

    await markTokensUsed(conn.db, [id], now);
    await markTokensUsed(conn.db, [id], now + 30_000);
    expect((await findTokenByHash(conn.db, minted.hash))!.last_used_at).toBe(now);
    await markTokensUsed(conn.db, [id], now + 61_000);
    expect((await findTokenByHash(conn.db, minted.hash))!.last_used_at).toBe(now + 61_000);
  });

  it('ends every live session of a user and counts them', async () => {
    const user = aUser('sessions@example.test');
    await insertUser(conn.db, user);
    const hashes = [mintSecret('session').hash, mintSecret('session').hash];
    for (const secret_hash of hashes) {
      await insertSession(conn.db, {
        id: newId('ses'),
        user_id: user.id,
        org_id: orgId,
        secret_hash,
        created_at: now,
        last_seen_at: now,
        expires_at: now + 1000,
        revoked_at: null,
        ip: null,
        user_agent: null,
      });
    }
    expect(await revokeUserSessions(conn.db, user.id, now)).toBe(2);
    expect(await revokeUserSessions(conn.db, user.id, now)).toBe(0);
    expect((await findSessionByHash(conn.db, hashes[0]!))!.revoked_at).toBe(now);
  });

  it('orders events newest first by arrival and pages with a position', async () => {
    const prod = { orgId, environment: 'production' };
    const rows = Array.from({ length: 5 }, (_, i) => anEvent('production', i));
    await conn.db.transaction().execute((tx) => insertEvents(tx, rows));
    const ids = async (filter: EventFilter) =>
      (await listEvents(conn.db, filter, { limit: 10, maxBytes: 1e6 })).rows.map((r) => r.id);
    expect(await ids(prod)).toEqual(rows.map((r) => r.id).reverse());
    const seq = await findEventSeq(conn.db, prod, rows[2]!.id);
    expect(await ids({ ...prod, beforeSeq: seq })).toEqual([rows[1]!.id, rows[0]!.id]);
    expect(await ids({ ...prod, eventType: 'odd' })).toHaveLength(2);
    expect(await findEventSeq(conn.db, { ...prod, orgId: newId('org') }, rows[2]!.id)).toBe(
      undefined,
    );
  });

  it('keeps the events of each environment apart in lists and cursor lookups', async () => {
    const staged = anEvent('staging', 0);
    await insertEvents(conn.db, [staged]);
    const staging = { orgId, environment: 'staging' };
    const page = await listEvents(conn.db, staging, { limit: 10, maxBytes: 1e6 });
    expect(page).toEqual({ rows: [expect.objectContaining({ id: staged.id })], more: false });
    expect(await findEventSeq(conn.db, staging, staged.id)).toBeTypeOf('number');
    const prod = { orgId, environment: 'production' };
    expect(await findEventSeq(conn.db, prod, staged.id)).toBeUndefined();
    const all = await listEvents(conn.db, prod, { limit: 1000, maxBytes: 1e6 });
    expect(all.rows.map((r) => r.id)).not.toContain(staged.id);
  });

  it('ends a page at its budget of stored text, counted in bytes, not characters', async () => {
    const org = newId('org');
    // 'é' is one character and two bytes of UTF-8: each payload is 100 characters, 192 bytes,
    // so a budget of two events by bytes would hold all three if characters were counted.
    const rows = [0, 1, 2].map((i) => ({
      ...anEvent('production', i),
      org_id: org,
      payload: JSON.stringify({ t: 'é'.repeat(92) }),
      metadata: '{"a":1}',
    }));
    await insertEvents(conn.db, rows);
    const scope = { orgId: org, environment: 'production' };
    const eachBytes = 192 + 7;
    const cut = await listEvents(conn.db, scope, { limit: 10, maxBytes: 2 * eachBytes });
    expect(cut.rows.map((r) => r.id)).toEqual([rows[2]!.id, rows[1]!.id]);
    expect(cut.more).toBe(true);
    const whole = await listEvents(conn.db, scope, { limit: 3, maxBytes: 3 * eachBytes });
    expect(whole).toMatchObject({ more: false });
    expect(whole.rows).toHaveLength(3);
    const tiny = await listEvents(conn.db, scope, { limit: 10, maxBytes: 1 });
    expect(tiny.rows.map((r) => r.id)).toEqual([rows[2]!.id]);
    expect(tiny.more).toBe(true);
  });

  it('chains concurrent audit appends without a gap or a fork', async () => {
    const entries = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        conn.db
          .transaction()
          .execute((tx) =>
            appendAudit(tx, { orgId, actor: { type: 'system' }, action: `probe.${i}` }, now),
          ),
      ),
    );
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const rows = await conn.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('seq')
      .execute();
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  });

  it('lets exactly one of two racing callbacks claim an OAuth state', async () => {
    await insertOAuthState(conn.db, {
      stateHash: 'h1',
      codeVerifier: 'v',
      returnTo: '/',
      createdAt: now,
      expiresAt: now + 1000,
    });
    const claims = await Promise.all([
      claimOAuthState(conn.db, 'h1', now),
      claimOAuthState(conn.db, 'h1', now),
    ]);
    expect(claims.filter((c) => c.ok)).toHaveLength(1);
    expect(claims.find((c) => !c.ok)).toEqual({ ok: false, reason: 'used' });
    expect(await claimOAuthState(conn.db, 'nope', now)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('stores organization flags as booleans both ways', async () => {
    await updateOrganization(conn.db, orgId, { selfServiceTokens: false, githubSignup: true });
    expect(await findOrganization(conn.db, orgId)).toMatchObject({
      selfServiceTokens: false,
      githubSignup: true,
    });
  });
});
