import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { connect, type Db } from '../../src/db/connect.js';
import type { AuditEntryRow } from '../../src/db/schema.js';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import type { TestServer } from '../support/server.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The real CLI in a child process, from the TypeScript sources (no build step needed), on the
 * test server's database.
 */
export function runCli(server: TestServer, args: string[]): Promise<CliRun> {
  const env = { ...process.env, DATABASE_URL: server.databaseUrl, ABS_LOG_LEVEL: 'warn' };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env, cwd: process.cwd(), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A second connection to the server's database: what someone editing it by hand would use. */
export async function behindTheBack<T>(server: TestServer, edit: (db: Db) => Promise<T>) {
  const connection = connect(server.databaseUrl);
  try {
    return await edit(connection.db);
  } finally {
    await connection.close();
  }
}

export async function chainRows(db: Db, orgId: string): Promise<AuditEntryRow[]> {
  return db
    .selectFrom('audit_entries')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('seq')
    .execute();
}

/** Moves entries from `seq` on one place up, in two steps so no two share a position. */
export async function shiftUp(db: Db, orgId: string, fromSeq: number): Promise<void> {
  const chain = sql`org_id = ${orgId}`;
  await sql`update audit_entries set seq = -seq where ${chain} and seq >= ${fromSeq}`.execute(db);
  await sql`update audit_entries set seq = 1 - seq where ${chain} and seq < 0`.execute(db);
}

export interface Ledger {
  orgId: string;
  email: string;
  /** An admin's session in that organization. */
  session: string;
  rows: AuditEntryRow[];
}

/**
 * A fresh organization whose chain holds seven entries made through the API: created, its
 * admin created, signed in, a failed sign-in, a token issued and revoked, another failure.
 */
export async function freshLedger(server: TestServer): Promise<Ledger> {
  const org = await makeOrg(server.services, `Ledger ${Math.random()}`);
  const admin = await makeUser(server.services, org.id, 'admin');
  const session = await login(server, admin.email, admin.password);
  const ip = nextClientIp();
  await failSignIn(server, admin.email, ip);
  await issuePat(server, session, { name: 'ci' });
  const tokens = await call(server, 'GET', '/tokens', { token: session });
  expectStatus(tokens, 200);
  const revoked = await call(server, 'DELETE', `/tokens/${tokens.body.data[0].id}`, {
    token: session,
  });
  expectStatus(revoked, 204);
  await failSignIn(server, admin.email, ip);
  const rows = await behindTheBack(server, (db) => chainRows(db, org.id));
  return { orgId: org.id, email: admin.email, session, rows };
}

let clients = 0;

/**
 * A failed sign-in from an address of its own (the test server trusts 127.0.0.1 as a proxy), so
 * that the per-address sign-in throttle of one test does not reach the next.
 */
/**
 * Deletes every entry after `keep` and moves the head back onto entry `keep`: the one edit a
 * chain cannot reveal by itself, since what is left is consistent.
 */
export async function cutTailAndHead(server: TestServer, ledger: Ledger, keep: number) {
  await behindTheBack(server, async (db) => {
    await db
      .deleteFrom('audit_entries')
      .where('org_id', '=', ledger.orgId)
      .where('seq', '>', keep)
      .execute();
    await db
      .updateTable('audit_heads')
      .set({ seq: keep, hash: ledger.rows[keep - 1]!.hash })
      .where('org_id', '=', ledger.orgId)
      .execute();
  });
}

export async function failSignIn(server: TestServer, email: string, ip = nextClientIp()) {
  const reply = await call(server, 'POST', '/login', {
    json: { email, password: 'not-the-password' },
    headers: { 'x-forwarded-for': ip },
  });
  expectStatus(reply, 401);
}

/**
 * A client address of its own. Random, because with Redis the sign-in counters outlive the
 * process and are shared by every test file.
 */
export function nextClientIp(): string {
  clients += 1;
  const random = randomBytes(2);
  return `10.${random[0]}.${random[1]}.${(clients % 250) + 1}`;
}

/** An email no one has: with Redis, failed sign-ins of one run still count in the next. */
export function strangerEmail(name = 'Stranger'): string {
  return `${name}.${randomBytes(4).toString('hex')}@Example.TEST`;
}

/** Trusting the loopback proxy lets each test sign in from an address of its own. */
export const TRUST_LOOPBACK = { ABS_TRUST_PROXY: '127.0.0.1' };
