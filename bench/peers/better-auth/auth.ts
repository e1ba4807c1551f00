import SqliteDatabase from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { apiKey } from 'better-auth/plugins';

/**
 * Better Auth with its API-key plugin on SQLite, configured as its documentation shows, with
 * three changes for a fair comparison: the same SQLite settings as our service (WAL, synchronous
 * FULL), its per-key rate limit off (its default, 10 verifications a day, would refuse the load)
 * and its global rate limiter off (ours is set out of the way too).
 */
export function createPeerAuth(path: string, baseURL = 'http://127.0.0.1') {
  const database = new SqliteDatabase(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  const auth = betterAuth({
    database,
    baseURL,
    secret: 'bench-only-secret-bench-only-secret-0123',
    telemetry: { enabled: false },
    rateLimit: { enabled: false },
    logger: { level: 'error' },
    plugins: [apiKey({ rateLimit: { enabled: false } })],
  });
  return { auth, database };
}

export type PeerAuth = ReturnType<typeof createPeerAuth>['auth'];
