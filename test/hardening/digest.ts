import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { verifyChain } from '../../src/audit/verify.js';
import type { Db } from '../../src/db/connect.js';

/**
 * Columns that change on their own, off any request's answer: a session's last-seen time and a
 * token's last use are stamped in the background after a successful authentication.
 */
const VOLATILE: Record<string, string[]> = {
  sessions: ['last_seen_at'],
  tokens: ['last_used_at'],
};

const TABLES = ['organizations', 'users', 'sessions', 'tokens', 'events', 'oauth_states'] as const;

export interface Snapshot {
  /** A SHA-256 of every row of every business table, per table. */
  tables: Record<string, { rows: number; hash: string }>;
  /** Audit entries that record a success: a refused request must never add one. */
  successes: number;
  auditRows: number;
}

/** What the database holds now, as digests; two equal snapshots mean nothing changed. */
export async function snapshot(db: Db): Promise<Snapshot> {
  const tables: Snapshot['tables'] = {};
  for (const table of TABLES) {
    const rows = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    const lines = rows.map((row) => JSON.stringify(stable(row, VOLATILE[table] ?? []))).sort();
    tables[table] = { rows: rows.length, hash: sha(lines.join('\n')) };
  }
  const audit = await db.selectFrom('audit_entries').select(['outcome']).execute();
  const successes = audit.filter((row) => row.outcome === 'success').length;
  return { tables, successes, auditRows: audit.length };
}

function stable(row: Record<string, unknown>, skip: string[]): [string, unknown][] {
  return Object.keys(row)
    .filter((key) => !skip.includes(key))
    .sort()
    .map((key) => [key, row[key] === null ? null : String(row[key])]);
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A refused request leaves every business table as it was; it may add only audit entries that
 * record a refusal or a failure (a failed sign-in, a refused token), never a success.
 */
export function expectUnchanged(before: Snapshot, after: Snapshot, what: string): void {
  expect(after.tables, `tables changed by ${what}`).toEqual(before.tables);
  expect(after.successes, `a success was audited for ${what}`).toBe(before.successes);
}

/** Every organization's audit chain, and the system chain, still verify. */
export async function expectChainsIntact(db: Db): Promise<void> {
  const orgs = await db.selectFrom('audit_heads').select('org_id').execute();
  for (const { org_id } of orgs) {
    const report = await verifyChain(db, org_id);
    expect(report.broken, `audit chain of ${org_id}`).toBeNull();
    expect(report.intact).toBe(true);
  }
}
