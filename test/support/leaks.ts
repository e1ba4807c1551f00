import { existsSync, readFileSync } from 'node:fs';
import type { TestServer } from './server.js';

const TABLES = [
  'organizations',
  'users',
  'sessions',
  'tokens',
  'events',
  'audit_entries',
  'audit_heads',
  'oauth_states',
] as const;

/**
 * Everything the database holds, as text: every row of every table, plus the raw bytes of the
 * SQLite file and its write-ahead log, so a secret cannot hide in a page not yet checkpointed.
 */
export async function databaseText(server: TestServer): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const rows = await server.services.db.selectFrom(table).selectAll().execute();
    parts.push(JSON.stringify(rows));
  }
  if (server.databaseUrl.startsWith('sqlite:')) {
    const path = server.databaseUrl.slice('sqlite:'.length);
    for (const file of [path, `${path}-wal`]) {
      if (existsSync(file)) parts.push(readFileSync(file).toString('latin1'));
    }
  }
  return parts.join('\n');
}

/** The secrets (or any run of 16 characters of them) found in `text`. */
export function leaked(text: string, secrets: string[]): string[] {
  return secrets.filter((secret) => {
    for (let i = 0; i + 16 <= secret.length; i += 8) {
      if (text.includes(secret.slice(i, i + 16))) return true;
    }
    return false;
  });
}
