import { rmSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { connect } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrations.js';

/** A fresh database file with the service's own schema, opened raw for bulk inserts. */
export async function freshDatabase(path: string): Promise<SqliteDatabase.Database> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const connection = connect(`sqlite:${path}`);
  await migrate(connection.db, 'sqlite');
  await connection.close();
  const db = new SqliteDatabase(path);
  // Seeding only: a crash here loses nothing of value, so skip the fsyncs and use a big cache.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  return db;
}

/** Runs `insert` for rows `0..count-1` in transactions of `chunk` rows. */
export function insertInChunks(
  db: SqliteDatabase.Database,
  count: number,
  chunk: number,
  insert: (index: number) => void,
): void {
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert(i);
  });
  for (let from = 0; from < count; from += chunk) batch(from, Math.min(count, from + chunk));
}

/** Leaves the file as the service expects it: WAL folded in, then closed. */
export function finish(db: SqliteDatabase.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
