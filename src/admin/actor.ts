import type { AuditRecord } from '../audit/ledger.js';

/** Who asked for an administrative change: a person (through the API) or the operator's CLI. */
export type Actor =
  { type: 'user'; id: string; ip?: string | null; userAgent?: string | null } | { type: 'cli' };

export function auditActor(actor: Actor): Pick<AuditRecord, 'actor' | 'ip' | 'userAgent'> {
  if (actor.type === 'cli') return { actor: { type: 'cli', id: 'cli' } };
  return { actor: { type: 'user', id: actor.id }, ip: actor.ip, userAgent: actor.userAgent };
}

export function actorId(actor: Actor): string {
  return actor.type === 'cli' ? 'cli' : actor.id;
}
