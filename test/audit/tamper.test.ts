import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHash } from '../../src/audit/canonical.js';
import { canonicalEntry, toAuditEntry } from '../../src/audit/entry.js';
import { call, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  behindTheBack,
  cutTailAndHead,
  freshLedger,
  runCli,
  shiftUp,
  TRUST_LOOPBACK,
  type Ledger,
} from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(TRUST_LOOPBACK);
});
afterAll(() => server.stop());

async function verifyByApi(ledger: Ledger, query = '') {
  const reply = await call(server, 'GET', `/admin/audit/verify${query}`, { token: ledger.session });
  expectStatus(reply, 200);
  return reply.body;
}

/** Both the API and the CLI must find the break, at the same place and for the same reason. */
async function expectBrokenAt(
  ledger: Ledger,
  where: { id: string | null; seq: number; reason: string },
) {
  const report = await verifyByApi(ledger);
  expect(report).toMatchObject({ intact: false, firstBrokenId: where.id });
  expect(report.broken).toMatchObject({ entryId: where.id, seq: where.seq, reason: where.reason });

  const run = await runCli(server, ['audit', 'verify', '--org', ledger.orgId]);
  expect(run.code, run.stderr).toBe(1);
  const named = where.id
    ? `entry ${where.id} (seq ${where.seq})`
    : `seq ${where.seq} (no such entry)`;
  expect(run.stdout).toContain(`${ledger.orgId}: BROKEN at ${named}: ${where.reason}`);
  expect(run.stderr).toContain(where.id ?? `seq ${where.seq}`);
}

describe('an untouched ledger', () => {
  it('verifies as intact through the API and the CLI, with its head', async () => {
    const ledger = await freshLedger(server);
    expect(ledger.rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const head = ledger.rows[6]!.hash;
    expect(await verifyByApi(ledger)).toEqual({
      intact: true,
      entries: 7,
      head,
      firstBrokenId: null,
      broken: null,
    });
    const run = await runCli(server, ['audit', 'verify', '--org', ledger.orgId]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${ledger.orgId}: intact, 7 entries, head ${head}\n`);
    const kept = await runCli(server, [
      'audit',
      'verify',
      '--org',
      ledger.orgId,
      '--expect-head',
      ledger.rows[3]!.hash,
    ]);
    expect(kept.code, kept.stderr).toBe(0);
  });

  it('verifies every chain when no organization is named', async () => {
    const ledger = await freshLedger(server);
    const run = await runCli(server, ['audit', 'verify']);
    expect(run.stdout).toContain(`${ledger.orgId}: intact, 7 entries`);
  });
});

describe('abs-auth audit verify', () => {
  it('refuses a malformed kept head (exit 2) and an unknown organization (exit 3)', async () => {
    const ledger = await freshLedger(server);
    const bad = await runCli(server, [
      'audit',
      'verify',
      '--org',
      ledger.orgId,
      '--expect-head',
      'abc',
    ]);
    expect(bad).toEqual({
      code: 2,
      stdout: '',
      stderr: 'abs-auth: --expect-head: a SHA-256 hash, 64 hex digits\n',
    });
    const unknown = await runCli(server, ['audit', 'verify', '--org', 'org_nosuchorg0000000']);
    // Not found, as the README's exit codes say (3), like every unknown id the CLI is given.
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe('abs-auth: --org: no organization org_nosuchorg0000000\n');
  });
});

describe('a ledger edited behind the service', () => {
  it.each([
    ['details', `'{"email":"someone-else@example.test","reason":"wrong_password"}'`],
    ['outcome', `'success'`],
    ['actor_id', `'usr_0000000000000000'`],
    ['ip', `'10.9.8.7'`],
    ['at', 'at + 1'],
    ['action', `'auth.logout'`],
  ])('is found broken at the entry whose %s was changed', async (column, value) => {
    const ledger = await freshLedger(server);
    const victim = ledger.rows[3]!;
    const edit = sql`update audit_entries set ${sql.ref(column)} = ${sql.raw(value)}`;
    await behindTheBack(server, (db) => sql`${edit} where id = ${victim.id}`.execute(db));
    await expectBrokenAt(ledger, { id: victim.id, seq: 4, reason: 'content_altered' });
  });

  it('is found broken at an entry edited with its hash recomputed, by the next entry', async () => {
    const ledger = await freshLedger(server);
    const victim = ledger.rows[2]!;
    const forged = { ...toAuditEntry(victim), ip: '203.0.113.9' };
    const hash = chainHash(victim.prev_hash, canonicalEntry(forged));
    await behindTheBack(server, (db) =>
      db
        .updateTable('audit_entries')
        .set({ ip: '203.0.113.9', hash })
        .where('id', '=', victim.id)
        .execute(),
    );
    const next = ledger.rows[3]!;
    await expectBrokenAt(ledger, { id: next.id, seq: 4, reason: 'wrong_predecessor' });
  });

  it('is found broken where an entry was deleted', async () => {
    const ledger = await freshLedger(server);
    await behindTheBack(server, (db) =>
      db.deleteFrom('audit_entries').where('id', '=', ledger.rows[2]!.id).execute(),
    );
    await expectBrokenAt(ledger, { id: ledger.rows[3]!.id, seq: 4, reason: 'out_of_sequence' });
  });

  it('is found broken at an entry inserted into the middle', async () => {
    const ledger = await freshLedger(server);
    const model = ledger.rows[2]!;
    await behindTheBack(server, async (db) => {
      await shiftUp(db, ledger.orgId, 4);
      await db
        .updateTable('audit_heads')
        .set({ seq: 8 })
        .where('org_id', '=', ledger.orgId)
        .execute();
      await db
        .insertInto('audit_entries')
        .values({ ...model, id: 'aud_inserted0000000', seq: 4, prev_hash: model.hash })
        .execute();
    });
    await expectBrokenAt(ledger, { id: 'aud_inserted0000000', seq: 4, reason: 'content_altered' });
  });

  it('is found broken after a well-forged insertion, at the entry it displaced', async () => {
    const ledger = await freshLedger(server);
    const model = ledger.rows[2]!;
    const forged = { ...toAuditEntry(model), id: 'aud_forged000000000', seq: 4 };
    const hash = chainHash(model.hash, canonicalEntry(forged));
    await behindTheBack(server, async (db) => {
      await shiftUp(db, ledger.orgId, 4);
      await db
        .insertInto('audit_entries')
        .values({ ...model, id: forged.id, seq: 4, prev_hash: model.hash, hash })
        .execute();
    });
    await expectBrokenAt(ledger, { id: ledger.rows[3]!.id, seq: 5, reason: 'wrong_predecessor' });
  });

  it('is found broken at an entry appended without moving the head', async () => {
    const ledger = await freshLedger(server);
    const last = ledger.rows[6]!;
    const forged = { ...toAuditEntry(last), id: 'aud_appended0000000', seq: 8 };
    const hash = chainHash(last.hash, canonicalEntry(forged));
    await behindTheBack(server, (db) =>
      db
        .insertInto('audit_entries')
        .values({ ...last, id: forged.id, seq: 8, prev_hash: last.hash, hash })
        .execute(),
    );
    await expectBrokenAt(ledger, { id: 'aud_appended0000000', seq: 8, reason: 'beyond_head' });
  });

  it('is found broken where two entries were swapped', async () => {
    const ledger = await freshLedger(server);
    const [third, fourth] = [ledger.rows[2]!, ledger.rows[3]!];
    await behindTheBack(server, async (db) => {
      await db.updateTable('audit_entries').set({ seq: -1 }).where('id', '=', third.id).execute();
      await db.updateTable('audit_entries').set({ seq: 3 }).where('id', '=', fourth.id).execute();
      await db.updateTable('audit_entries').set({ seq: 4 }).where('id', '=', third.id).execute();
    });
    await expectBrokenAt(ledger, { id: fourth.id, seq: 3, reason: 'wrong_predecessor' });
  });

  it('is found broken where the tail was cut, at the first missing position', async () => {
    const ledger = await freshLedger(server);
    await behindTheBack(server, (db) =>
      db
        .deleteFrom('audit_entries')
        .where('org_id', '=', ledger.orgId)
        .where('seq', '>', 5)
        .execute(),
    );
    await expectBrokenAt(ledger, { id: null, seq: 6, reason: 'tail_missing' });
  });

  it('is found broken when the tail and the head were both cut, given the kept head', async () => {
    const ledger = await freshLedger(server);
    const kept = ledger.rows[6]!.hash;
    await cutTailAndHead(server, ledger, 5);
    // The chain alone cannot tell: what is left is consistent.
    expect(await verifyByApi(ledger)).toMatchObject({ intact: true, entries: 5 });
    const plain = await runCli(server, ['audit', 'verify', '--org', ledger.orgId]);
    expect(plain.code, plain.stderr).toBe(0);

    const report = await verifyByApi(ledger, `?expectHead=${kept}`);
    expect(report).toMatchObject({ intact: false, firstBrokenId: null });
    expect(report.broken).toMatchObject({ seq: 6, reason: 'expected_head_missing' });
    const run = await runCli(server, [
      'audit',
      'verify',
      '--org',
      ledger.orgId,
      '--expect-head',
      kept,
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(
      `${ledger.orgId}: BROKEN at seq 6 (no such entry): ` + 'expected_head_missing',
    );
  });

  it('is found broken where the recorded head no longer matches the last entry', async () => {
    const ledger = await freshLedger(server);
    await behindTheBack(server, (db) =>
      db
        .updateTable('audit_heads')
        .set({ hash: 'f'.repeat(64) })
        .where('org_id', '=', ledger.orgId)
        .execute(),
    );
    await expectBrokenAt(ledger, { id: ledger.rows[6]!.id, seq: 7, reason: 'head_mismatch' });
  });

  it('is found broken when a whole chain, its head and every entry, is gone', async () => {
    const ledger = await freshLedger(server);
    const other = await freshLedger(server);
    await behindTheBack(server, async (db) => {
      await db.deleteFrom('audit_entries').where('org_id', '=', ledger.orgId).execute();
      await db.deleteFrom('audit_heads').where('org_id', '=', ledger.orgId).execute();
    });
    await expectBrokenAt(ledger, { id: null, seq: 1, reason: 'chain_missing' });
    expect(await verifyByApi(ledger)).toMatchObject({ intact: false, entries: 0 });

    // Verifying every chain lists the organization too, although nothing of its chain is left.
    const run = await runCli(server, ['audit', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${ledger.orgId}: BROKEN at seq 1 (no such entry): chain_missing`);
    expect(run.stdout).toContain(`${other.orgId}: intact, 7 entries`);
    expect(run.stderr).toContain(`${ledger.orgId} at seq 1`);
  });

  it('is found broken with its tail missing when only the entries are gone', async () => {
    const ledger = await freshLedger(server);
    await behindTheBack(server, (db) =>
      db.deleteFrom('audit_entries').where('org_id', '=', ledger.orgId).execute(),
    );
    await expectBrokenAt(ledger, { id: null, seq: 1, reason: 'tail_missing' });
  });

  it('is found broken beyond the head when only the head is gone', async () => {
    const ledger = await freshLedger(server);
    await behindTheBack(server, (db) =>
      db.deleteFrom('audit_heads').where('org_id', '=', ledger.orgId).execute(),
    );
    await expectBrokenAt(ledger, { id: ledger.rows[0]!.id, seq: 1, reason: 'beyond_head' });
  });

  it('leaves the chains of other organizations intact, and says so', async () => {
    const broken = await freshLedger(server);
    const other = await freshLedger(server);
    await behindTheBack(server, (db) =>
      db.deleteFrom('audit_entries').where('id', '=', broken.rows[1]!.id).execute(),
    );
    expect(await verifyByApi(other)).toMatchObject({ intact: true, entries: 7 });
    const run = await runCli(server, ['audit', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${other.orgId}: intact, 7 entries`);
    expect(run.stdout).toContain(`${broken.orgId}: BROKEN at entry ${broken.rows[2]!.id}`);
  });
});
