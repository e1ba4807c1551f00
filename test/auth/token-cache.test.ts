import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedTokenCount, TOKEN_CACHE_LIMIT } from '../../src/auth/token-cache.js';
import { connect, sqliteHandle, type Connection } from '../../src/db/connect.js';
import { newId } from '../../src/ids.js';
import { mintSecret } from '../../src/secrets.js';
import { adminOrgId, call, expectStatus, issuePat, login } from '../support/client.js';
import { makeUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Token checks may reuse a token row on SQLite, but only while the credential epoch (moved by
// triggers in the writing transaction) is unchanged. These tests change what a check reads from
// a second connection, as another server or the CLI would, right after a check that cached it.

let server: TestServer;
let other: Connection;
let orgId: string;
let sqlite: boolean;
beforeAll(async () => {
  server = await startTestServer();
  other = connect(server.databaseUrl);
  orgId = await adminOrgId(server);
  sqlite = server.services.dialect === 'sqlite';
});
afterAll(async () => {
  await other.close();
  await server.stop();
});

async function operatorWithPat() {
  const made = await makeUser(server.services, orgId, 'operator');
  const session = await login(server, made.email, made.password);
  const pat = await issuePat(server, session, { name: 'cached' });
  const check = await call(server, 'GET', '/verify', { token: pat });
  expectStatus(check, 200);
  // A second check: on SQLite this one is answered from the cache.
  expectStatus(await call(server, 'GET', '/verify', { token: pat }), 200);
  return { userId: made.user.id, tokenId: check.body.tokenId as string, pat };
}

const verify = (pat: string) => call(server, 'GET', '/verify', { token: pat });

/** Writes to a token through the second connection. */
const setToken = (id: string, values: Record<string, number | string | null>) =>
  other.db.updateTable('tokens').set(values).where('id', '=', id).execute();

describe('a change made through another connection is seen on the very next check', () => {
  it('revocation', async () => {
    const { tokenId, pat } = await operatorWithPat();
    await setToken(tokenId, { revoked_at: Date.now() });
    const reply = await verify(pat);
    expectStatus(reply, 401);
    expect(reply.body).toMatchObject({ active: false, detail: 'The token was revoked.' });
  });

  it('expiry moved into the past', async () => {
    const { tokenId, pat } = await operatorWithPat();
    await setToken(tokenId, { expires_at: Date.now() - 1000 });
    expect((await verify(pat)).body).toMatchObject({
      active: false,
      detail: 'The token has expired.',
    });
  });

  it("the owner's role, then the owner's status", async () => {
    const { userId, pat } = await operatorWithPat();
    await other.db.updateTable('users').set({ role: 'viewer' }).where('id', '=', userId).execute();
    expect((await verify(pat)).body).toMatchObject({ active: true, scope: 'runtime:read' });
    await other.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', userId)
      .execute();
    expect((await verify(pat)).body).toMatchObject({
      active: false,
      detail: 'The token owner is disabled.',
    });
  });

  it('a narrower scope, and the token row deleted', async () => {
    const { tokenId, pat } = await operatorWithPat();
    await setToken(tokenId, { scope: 'runtime:read' });
    expect((await verify(pat)).body.scope).toBe('runtime:read');
    await other.db.deleteFrom('tokens').where('id', '=', tokenId).execute();
    expectStatus(await verify(pat), 401);
  });
});

describe('a check while this server has a transaction open', () => {
  it('never answers from before a revocation another connection committed', async () => {
    const { tokenId, pat } = await operatorWithPat();
    const revoke = () => setToken(tokenId, { revoked_at: Date.now() });
    const otherHandle = sqliteHandle(other.db);
    otherHandle?.pragma('busy_timeout = 50');
    try {
      let check: ReturnType<typeof verify> | undefined;
      await server.services.db.transaction().execute(async (tx) => {
        // The first read fixes the transaction's snapshot.
        await tx.selectFrom('users').select('id').limit(1).execute();
        if (otherHandle) {
          // SQLite: the transaction began with the write lock (`begin immediate`), so nothing
          // commits inside it and its snapshot stays the latest: the revocation has to wait.
          await expect(revoke()).rejects.toThrow(/locked/);
        } else {
          // PostgreSQL: the revocation commits meanwhile; a check must not use the old snapshot.
          await revoke();
        }
        check = verify(pat);
        await new Promise((resolve) => setTimeout(resolve, 50));
      });
      if (otherHandle) {
        expectStatus((await check!)!, 200);
        await revoke();
        check = verify(pat);
      }
      const reply = await check!;
      expectStatus(reply, 401);
      expect(reply.body).toMatchObject({ active: false, detail: 'The token was revoked.' });
    } finally {
      otherHandle?.pragma('busy_timeout = 5000');
    }
  });
});

describe('the credential epoch', () => {
  async function epoch(): Promise<number | undefined> {
    if (!sqlite) return undefined;
    const row = await sql<{ value: number }>`select value from credential_epoch`.execute(other.db);
    return row.rows[0]!.value;
  }

  // SQLite only: PostgreSQL has no cache, and there the test checks that nothing is kept.
  it('moves with a revocation but not with a last-use stamp', async () => {
    const { tokenId } = await operatorWithPat();
    const before = await epoch();
    await setToken(tokenId, { last_used_at: Date.now() });
    expect(await epoch()).toBe(before);
    await setToken(tokenId, { revoked_at: Date.now() });
    if (sqlite) expect(await epoch()).toBe(before! + 1);
    else expect(cachedTokenCount(server.services.db)).toBe(0);
  });
});

describe('what the cache keeps', () => {
  it('never an unknown token, so one issued a moment later works at once', async () => {
    const before = cachedTokenCount(server.services.db);
    const unknown = mintSecret('pat').secret;
    expectStatus(await verify(unknown), 401);
    expect(cachedTokenCount(server.services.db)).toBe(before);
  });

  it(`at most ${TOKEN_CACHE_LIMIT} rows, however many tokens are checked`, async () => {
    const owner = await makeUser(server.services, orgId, 'operator');
    const secrets: string[] = [];
    const rows = Array.from({ length: TOKEN_CACHE_LIMIT + 50 }, (_, i) => {
      const minted = mintSecret('pat');
      secrets.push(minted.secret);
      return {
        id: newId('tok'),
        org_id: orgId,
        user_id: owner.user.id,
        name: `bulk ${i}`,
        environment: 'production',
        scope: 'runtime:read',
        secret_hash: minted.hash,
        prefix: minted.displayPrefix,
        created_at: Date.now(),
        created_by: owner.user.id,
        expires_at: Date.now() + 86_400_000,
      };
    });
    for (let i = 0; i < rows.length; i += 500) {
      await server.services.db
        .insertInto('tokens')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    const { authenticateSecret } = await import('../../src/auth/authenticate.js');
    for (const secret of secrets) {
      const outcome = await authenticateSecret(server.services, secret, { viaCookie: false });
      expect(outcome.ok).toBe(true);
    }
    const held = cachedTokenCount(server.services.db);
    expect(held).toBe(sqlite ? TOKEN_CACHE_LIMIT : 0);
  });
});
