import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { AuditEntryRow } from '../db/schema.js';

export interface ChainHead {
  seq: number;
  hash: string;
}

export async function findChainHead(db: Db, orgId: string): Promise<ChainHead | undefined> {
  return db
    .selectFrom('audit_heads')
    .select(['seq', 'hash'])
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

/**
 * One page of a chain in order, after the given position and up to `upToSeq` (keyset paging on
 * the (org_id, seq) index).
 */
export async function readChainPage(
  db: Db,
  orgId: string,
  afterSeq: number | null,
  limit: number,
  upToSeq: number,
): Promise<AuditEntryRow[]> {
  let query = db
    .selectFrom('audit_entries')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('seq', '<=', upToSeq)
    .orderBy('seq')
    .limit(limit);
  if (afterSeq !== null) query = query.where('seq', '>', afterSeq);
  return query.execute();
}

/**
 * The first entry placed after the chain's head. Head and entries are read in one statement, so
 * an append committing meanwhile (which moves both at once) cannot make an honest entry look
 * out of place.
 */
export async function findEntryBeyondHead(db: Db, orgId: string) {
  const headSeq = sql<number>`coalesce((${db
    .selectFrom('audit_heads')
    .select('seq')
    .where('org_id', '=', orgId)}), 0)`;
  return db
    .selectFrom('audit_entries')
    .select(['id', 'seq'])
    .where('org_id', '=', orgId)
    .where('seq', '>', headSeq)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
}

/** Whether any entry of the chain is left, wherever it sits. */
export async function chainHasEntries(db: Db, orgId: string): Promise<boolean> {
  const row = await db
    .selectFrom('audit_entries')
    .select('id')
    .where('org_id', '=', orgId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Every chain that has a head or an entry, the system chain included, and every organization's
 * chain: each must have one, so one that is missing entirely is listed too and found broken.
 */
export async function listChainIds(db: Db): Promise<string[]> {
  const heads = await db.selectFrom('audit_heads').select('org_id').execute();
  const entries = await db.selectFrom('audit_entries').select('org_id').distinct().execute();
  const orgs = await db.selectFrom('organizations').select('id as org_id').execute();
  const ids = new Set([...heads, ...entries, ...orgs].map((row) => row.org_id));
  return [...ids].sort();
}

export interface AuditFilter {
  orgId: string;
  action?: string;
  actorId?: string;
  since?: number;
  until?: number;
  /** Newest first: only entries before this position. */
  beforeSeq?: number;
  limit: number;
}

// LIMITATION: filters other than the organization are applied while walking the (org_id, seq)
// index newest first; a rare action in a very long chain makes a page slow to fill. An index
// on (org_id, action, seq) would fix it when the ledger grows that large.
export async function listAuditRows(db: Db, filter: AuditFilter): Promise<AuditEntryRow[]> {
  let query = db
    .selectFrom('audit_entries')
    .selectAll()
    .where('org_id', '=', filter.orgId)
    .orderBy('seq', 'desc')
    .limit(filter.limit);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('at', '<', filter.until);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  return query.execute();
}
