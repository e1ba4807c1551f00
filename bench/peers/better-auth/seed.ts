import { hash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { getMigrations } from 'better-auth/db';
import { insertInChunks } from '../../seed/sqlite.js';
import { createPeerAuth } from './auth.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A key shaped like the plugin's own: 64 letters. */
function newKey(): string {
  let out = '';
  for (const byte of randomBytes(64)) out += LETTERS[byte % LETTERS.length];
  return out;
}

function newRowId(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Creates Better Auth's tables with its own migrator, then writes users and API keys straight
 * into them in the shape its plugin writes (row format copied from a key made by
 * `auth.api.createApiKey`): the same scale as our service's database.
 */
export async function seedPeer(
  path: string,
  plan: { users: number; keys: number; sample: number },
): Promise<{ keys: string[]; seconds: number }> {
  const started = performance.now();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const { auth, database } = createPeerAuth(path);
  await (await getMigrations(auth.options)).runMigrations();
  database.pragma('synchronous = OFF');

  const now = new Date().toISOString();
  const userIds: string[] = [];
  const userInsert = database.prepare(
    'insert into "user" (id, name, email, "emailVerified", image, "createdAt", "updatedAt") ' +
      'values (?, ?, ?, 1, null, ?, ?)',
  );
  insertInChunks(database, plan.users, 10_000, (i) => {
    const id = newRowId();
    userIds.push(id);
    userInsert.run(id, `Bench user ${i}`, `user${i}@bench.example`, now, now);
  });

  const keys: string[] = [];
  const step = Math.max(1, Math.floor(plan.keys / plan.sample));
  const keyInsert = database.prepare(
    'insert into apikey (id, name, start, prefix, key, "userId", enabled, "rateLimitEnabled", ' +
      '"rateLimitTimeWindow", "rateLimitMax", "requestCount", "createdAt", "updatedAt", ' +
      "metadata) values (?, ?, ?, null, ?, ?, 1, 0, 86400000, 10, 0, ?, ?, 'null')",
  );
  insertInChunks(database, plan.keys, 20_000, (i) => {
    const key = newKey();
    const stored = hash('sha256', key, 'base64url');
    keyInsert.run(
      newRowId(),
      `bench ${i}`,
      key.slice(0, 6),
      stored,
      userIds[i % userIds.length],
      now,
      now,
    );
    if (i % step === 0 && keys.length < plan.sample) keys.push(key);
  });
  database.pragma('wal_checkpoint(TRUNCATE)');
  database.close();
  return { keys, seconds: (performance.now() - started) / 1000 };
}
