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

export function toAuditEntry(row: AuditEntryRow): AuditEntry {
  return {
    id: row.id,
    orgId: row.org_id,
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    actorType: row.actor_type as ActorType,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    userAgent: row.user_agent,
    outcome: row.outcome as Outcome,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/** The hashed text of an entry: every field but the hashes themselves. */
export function canonicalEntry(entry: AuditEntry): string {
  return canonicalJson({ v: 1, ...entry });
}
