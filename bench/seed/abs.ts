import { newId } from '../../src/ids.js';
import { hashPassword } from '../../src/passwords.js';
import { formatScope, scopesOfRole, type Role } from '../../src/roles.js';
import { mintSecret } from '../../src/secrets.js';
import { BENCH_PASSWORD } from '../config.js';
import { seedEvents } from './events.js';
import { finish, freshDatabase, insertInChunks } from './sqlite.js';

export interface SeedPlan {
  orgs: number;
  users: number;
  tokens: number;
  events: number;
  sampleSecrets: number;
}

/** What the load generator needs from the seeded database. */
export interface Seeded {
  /** PAT secrets of operators and admins (runtime:read and runtime:write). */
  secrets: string[];
  /** Emails of users who sign in with BENCH_PASSWORD. */
  emails: string[];
  seconds: number;
}

interface SeedUser {
  id: string;
  orgId: string;
  role: Role;
}

const DAY = 86_400_000;

/**
 * Seeds the service's database directly with prepared statements in large transactions: the
 * API would spend an argon2 hash per user and an audited transaction per token.
 */
export async function seedService(path: string, plan: SeedPlan): Promise<Seeded> {
  const started = performance.now();
  const db = await freshDatabase(path);
  const now = Date.now();
  const orgIds = Array.from({ length: plan.orgs }, () => newId('org'));
  const orgInsert = db.prepare(
    'insert into organizations (id, name, self_service_tokens, github_signup, created_at) ' +
      'values (?, ?, 1, 0, ?)',
  );
  orgIds.forEach((id, i) => orgInsert.run(id, `Bench org ${i + 1}`, now));

  // One hash for everyone: the benchmark measures sign-in, not 10,000 seeding hashes.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const users: SeedUser[] = [];
  const userInsert = db.prepare(
    'insert into users (id, org_id, email, name, avatar, role, provider, password_hash, ' +
      "github_id, status, created_at, updated_at) values (?, ?, ?, ?, null, ?, 'password', ?, " +
      "null, 'active', ?, ?)",
  );
  insertInChunks(db, plan.users, 10_000, (i) => {
    const orgIndex = i % plan.orgs;
    const role: Role = i < plan.orgs ? 'admin' : i % 4 === 0 ? 'viewer' : 'operator';
    const user = { id: newId('usr'), orgId: orgIds[orgIndex]!, role };
    users.push(user);
    userInsert.run(
      user.id,
      user.orgId,
      emailOf(i),
      `Bench user ${i}`,
      role,
      passwordHash,
      now,
      now,
    );
  });

  const writable: string[] = [];
  const tokensByOrg = new Map<string, Array<{ id: string; userId: string }>>();
  const tokenInsert = db.prepare(
    'insert into tokens (id, org_id, user_id, name, environment, scope, secret_hash, prefix, ' +
      'created_at, created_by, last_used_at, expires_at, revoked_at, rotated_from, rotated_to, ' +
      "rate_limit) values (?, ?, ?, ?, 'production', ?, ?, ?, ?, ?, null, ?, null, null, null, " +
      'null)',
  );
  insertInChunks(db, plan.tokens, 20_000, (i) => {
    const user = users[i % users.length]!;
    const minted = mintSecret('pat');
    const id = newId('tok');
    const scope = formatScope(scopesOfRole(user.role).filter((s) => s !== 'admin:manage'));
    tokenInsert.run(
      id,
      user.orgId,
      user.id,
      `bench ${i}`,
      scope,
      minted.hash,
      minted.displayPrefix,
      now - DAY,
      user.id,
      now + 365 * DAY,
    );
    if (user.role !== 'viewer') writable.push(minted.secret);
    const list = tokensByOrg.get(user.orgId) ?? [];
    list.push({ id, userId: user.id });
    tokensByOrg.set(user.orgId, list);
  });

  seedEvents(db, plan.events, orgIds, tokensByOrg, now);
  finish(db);
  const emailCount = Math.min(plan.users, 2_000);
  return {
    secrets: spread(writable, plan.sampleSecrets),
    emails: Array.from({ length: emailCount }, (_, i) => emailOf(plan.users - 1 - i)),
    seconds: (performance.now() - started) / 1000,
  };
}

function emailOf(i: number): string {
  return `user${i}@bench.example`;
}

/** `count` items spread evenly over the list, so every organization is represented. */
function spread<T>(list: T[], count: number): T[] {
  if (list.length <= count) return list;
  const step = list.length / count;
  return Array.from({ length: count }, (_, i) => list[Math.floor(i * step)]!);
}
