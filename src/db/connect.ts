import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface Connection {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

// PostgreSQL sends bigint as text; our bigints are epoch milliseconds and sequence numbers,
// far below 2^53, so numbers are exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function connect(databaseUrl: string): Connection {
  const path = sqlitePath(databaseUrl);
  return path === undefined ? connectPostgres(databaseUrl) : connectSqlite(path);
}

/** The file (or `:memory:`) of a `sqlite:PATH` DATABASE_URL; undefined for PostgreSQL. */
export function sqlitePath(databaseUrl: string): string | undefined {
  return databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : undefined;
}

function connectSqlite(path: string): Connection {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const sqlite = new SqliteDatabase(path);
  // Hashes of every secret and every password live here: readable by the service's user only.
  if (path !== ':memory:') chmodSync(path, 0o600);
  // WAL lets readers run beside the writer; synchronous=FULL syncs the log on every commit,
  // so an acknowledged write survives a crash of the process or of the machine.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Gives the query planner statistics (cheaply, on tables that changed) so it picks the
  // narrowest index for a filtered query instead of guessing.
  sqlite.pragma('optimize = 0x10002');
  const database = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  handles.set(db, sqlite);
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const handles = new WeakMap<Db, SqliteDatabase.Database>();

/**
 * The better-sqlite3 handle under a SQLite `Db`, for the one hot read that Kysely's executor
 * costs more than running (`token-cache.ts`). It shares the connection with Kysely, which
 * serializes its own queries and transactions with a lock this handle does not take: a read
 * through it runs inside whatever transaction Kysely has open, so callers check
 * `inTransaction` first.
 */
export function sqliteHandle(db: Db): SqliteDatabase.Database | undefined {
  return handles.get(db);
}

/**
 * What Kysely's `begin` becomes. A plain (deferred) transaction takes the write lock at its first
 * write; if another process committed after this one began reading, SQLite cannot let it wait
 * (its snapshot is stale) and fails at once with "database is locked", which a second server on
 * the same file met on every concurrent admin write. Taking the write lock at `begin` makes it
 * wait its turn (busy_timeout, 5 s) instead. In one process Kysely already runs one transaction
 * at a time on the one connection, so this costs nothing there. LIMITATION: the wait blocks the
 * event loop, as every better-sqlite3 call does (cost: a request stalls while another process
 * holds the lock, milliseconds per write; fix: PostgreSQL for several instances under load).
 */
const BEGIN_WRITE = 'begin immediate';

/** Distinct SQL texts kept prepared; Kysely writes a few dozen, so this is only a safety cap. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and with better-sqlite3 that compiling costs more than
 * running a point lookup (measured on `GET /verify`: see bench/results.md). Statements are kept
 * by SQL text instead. A statement still being iterated (a streamed query) is busy and cannot
 * run twice at once, so a fresh one is prepared for that rare case.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string): SqliteDatabase.Statement {
      const sql = text === 'begin' ? BEGIN_WRITE : text;
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (cached) return statement;
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
      return statement;
    },
  };
}

function connectPostgres(url: string): Connection {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  // A client that loses its server emits 'error', which would crash the process if nobody
  // listened: the pool covers idle clients, this covers checked-out ones. The query that was
  // running (if any) still fails, and the pool replaces the client on the next checkout.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
