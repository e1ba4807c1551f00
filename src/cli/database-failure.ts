import { resolve } from 'node:path';
import { sqlitePath } from '../db/connect.js';

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// PostgreSQL: the network, connection (08), authentication (28) and unknown-database classes.
const PG_UNREACHABLE = /^(E[A-Z]+|08\w{3}|28\w{3}|3D000)$/;
// SQLite: a file that cannot be opened, read or written, or is not a database.
const SQLITE_UNUSABLE = /^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR|PERM|READONLY|FULL|BUSY)/;

/**
 * The message for a database that could not be used, naming where DATABASE_URL points (without
 * a password); undefined for any other failure.
 */
export function databaseFailure(error: unknown, url: string): string | undefined {
  const message = messageOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' ? code : '';
  let where: string | undefined;
  const file = sqlitePath(url);
  if (file !== undefined && SQLITE_UNUSABLE.test(text)) {
    where = resolve(file);
  } else if (
    /^postgres(ql)?:\/\//.test(url) &&
    (PG_UNREACHABLE.test(text) || /^Connection terminated/.test(message))
  ) {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    where = parsed ? `${parsed.host}${parsed.pathname}` : 'the address given';
  }
  return where && `cannot use the database of DATABASE_URL (${where}): ${message}`;
}
