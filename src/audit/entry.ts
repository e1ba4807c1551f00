import type { AuditEntryRow } from '../db/schema.js';
import { canonicalJson } from './canonical.js';

export type ActorType = 'user' | 'token' | 'cli' | 'system' | 'anonymous';
export type Outcome = 'success' | 'failure' | 'denied';

/** One security-relevant action, as it is hashed, exported and served. */
export interface AuditEntry {
  id: string;
  orgId: string;
  seq: number;
  at: string;
  actorType: ActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: Outcome;
  details: Record<string, unknown>;
}

/**
 * An entry as read from its row. Never throws, even on a row edited by hand: a value that cannot
 * be decoded is shown as it is stored, and its hash then fails verification like any other edit.
 */
export function toAuditEntry(row: AuditEntryRow): AuditEntry {
  return {
    id: row.id,
    orgId: row.org_id,
    seq: row.seq,
    at: isoTime(row.at),
    actorType: row.actor_type as ActorType,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    userAgent: row.user_agent,
    outcome: row.outcome as Outcome,
    details: decodeDetails(row.details),
  };
}

/** An entry with its chain links, as the API lists it. */
/** The stored row of an entry: the inverse of `toAuditEntry`. */
export function toAuditRow(entry: AuditEntry, prevHash: string, hash: string): AuditEntryRow {
  return {
    id: entry.id,
    org_id: entry.orgId,
    seq: entry.seq,
    at: Date.parse(entry.at),
    actor_type: entry.actorType,
    actor_id: entry.actorId,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    ip: entry.ip,
    user_agent: entry.userAgent,
    outcome: entry.outcome,
    details: JSON.stringify(entry.details),
    prev_hash: prevHash,
    hash,
  };
}

export interface ChainedEntry extends AuditEntry {
  prevHash: string;
  hash: string;
}

export function toChainedEntry(row: AuditEntryRow): ChainedEntry {
  return { ...toAuditEntry(row), prevHash: row.prev_hash, hash: row.hash };
}

function isoTime(ms: number): string {
  const date = new Date(Number(ms));
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

function decodeDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through: shown as stored
  }
  return { undecodable: text };
}

/**
 * The hashed text of an entry: every field but the hashes themselves, as `canonicalJson` of the
 * entry with `v: 1`. The top-level fields are fixed, so they are written in their sorted order
 * directly (verification of long chains spends its time here); only details are sorted.
 */
export function canonicalEntry(e: AuditEntry): string {
  const s = JSON.stringify;
  return (
    `{"action":${s(e.action)},"actorId":${s(e.actorId)},"actorType":${s(e.actorType)},` +
    `"at":${s(e.at)},"details":${canonicalJson(e.details)},"id":${s(e.id)},"ip":${s(e.ip)},` +
    `"orgId":${s(e.orgId)},"outcome":${s(e.outcome)},"seq":${s(e.seq)},` +
    `"targetId":${s(e.targetId)},"targetType":${s(e.targetType)},` +
    `"userAgent":${s(e.userAgent)},"v":1}`
  );
}
