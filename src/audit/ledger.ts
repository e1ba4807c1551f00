import type { Db } from '../db/connect.js';
import { newId } from '../ids.js';
import { chainHash, GENESIS_HASH } from './canonical.js';
import {
  canonicalEntry,
  toAuditRow,
  type ActorType,
  type AuditEntry,
  type Outcome,
} from './entry.js';

/** Organization id of the chain for events that belong to no organization (unknown emails). */
export const SYSTEM_CHAIN = 'system';

export interface AuditRecord {
  orgId: string | null;
  actor: { type: ActorType; id?: string | null };
  action: string;
  target?: { type: string; id: string | null };
  outcome?: Outcome;
  details?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
}

// LIMITATION: hashes are keyless, so someone with write access to the database can recompute a
// chain from any entry to its end; only a head kept elsewhere (`--expect-head`) reveals that.
// Signing heads with a key held outside the database would close it.
/**
 * Appends one entry to its organization's chain. Call it inside the transaction of the action it
 * records, so that there is no action without its entry. The head row is claimed with an UPDATE
 * first: on PostgreSQL that row lock makes concurrent appends (from any instance) queue up, so
 * the chain never forks; SQLite has a single writer anyway.
 */
export async function appendAudit(tx: Db, record: AuditRecord, now: number): Promise<AuditEntry> {
  const orgId = record.orgId ?? SYSTEM_CHAIN;
  await tx
    .insertInto('audit_heads')
    .values({ org_id: orgId, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('org_id').doNothing())
    .execute();
  const head = await tx
    .updateTable('audit_heads')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('org_id', '=', orgId)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();

  const entry: AuditEntry = {
    id: newId('aud'),
    orgId,
    seq: Number(head.seq),
    at: new Date(now).toISOString(),
    actorType: record.actor.type,
    actorId: storable(record.actor.id),
    action: record.action,
    targetType: storable(record.target?.type),
    targetId: storable(record.target?.id),
    ip: storable(record.ip),
    userAgent: storable(record.userAgent?.slice(0, 512)),
    outcome: record.outcome ?? 'success',
    details: record.details ?? {},
  };
  const hash = chainHash(head.hash, canonicalEntry(entry));
  await tx
    .insertInto('audit_entries')
    .values(toAuditRow(entry, head.hash, hash))
    .execute();
  await tx.updateTable('audit_heads').set({ hash }).where('org_id', '=', orgId).execute();
  return entry;
}

/**
 * Text exactly as the database will give it back: a lone surrogate would come back as U+FFFD
 * and PostgreSQL refuses NUL, and either would make an honest entry fail verification later.
 * (Details need no such care: JSON.stringify escapes both.)
 */
function storable(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  return value.replace(/\0/g, '').replace(/[\ud800-\udfff]/gu, '\ufffd');
}
