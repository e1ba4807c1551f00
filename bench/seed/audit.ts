import { chainHash, GENESIS_HASH } from '../../src/audit/canonical.js';
import { canonicalEntry, toAuditEntry } from '../../src/audit/entry.js';
import type { AuditEntryRow } from '../../src/db/schema.js';
import { newId } from '../../src/ids.js';
import { finish, freshDatabase, insertInChunks } from './sqlite.js';

const ACTIONS = ['auth.login', 'token.issued', 'token.revoked', 'user.updated', 'auth.logout'];

/**
 * One organization's chain of `count` entries with correct links, hashed exactly as the verifier
 * recomputes them (from the row as stored), and its head.
 */
export async function seedAuditChain(
  path: string,
  count: number,
): Promise<{ orgId: string; seconds: number }> {
  const started = performance.now();
  const db = await freshDatabase(path);
  const orgId = newId('org');
  const userId = newId('usr');
  const insert = db.prepare(
    'insert into audit_entries (id, org_id, seq, at, actor_type, actor_id, action, target_type, ' +
      'target_id, ip, user_agent, outcome, details, prev_hash, hash) ' +
      'values (@id, @org_id, @seq, @at, @actor_type, @actor_id, @action, @target_type, ' +
      '@target_id, @ip, @user_agent, @outcome, @details, @prev_hash, @hash)',
  );
  let prev = GENESIS_HASH;
  const start = Date.now() - count * 1000;
  insertInChunks(db, count, 50_000, (i) => {
    const row: AuditEntryRow = {
      id: newId('aud'),
      org_id: orgId,
      seq: i + 1,
      at: start + i * 1000,
      actor_type: 'user',
      actor_id: userId,
      action: ACTIONS[i % ACTIONS.length]!,
      target_type: 'session',
      target_id: newId('ses'),
      ip: '203.0.113.7',
      user_agent: 'bench-agent/1.0',
      outcome: 'success',
      details: JSON.stringify({ email: 'someone@bench.example' }),
      prev_hash: prev,
      hash: '',
    };
    row.hash = chainHash(prev, canonicalEntry(toAuditEntry(row)));
    insert.run(row);
    prev = row.hash;
  });
  db.prepare('insert into audit_heads (org_id, seq, hash) values (?, ?, ?)').run(
    orgId,
    count,
    prev,
  );
  finish(db);
  return { orgId, seconds: (performance.now() - started) / 1000 };
}
