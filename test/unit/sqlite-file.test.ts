import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'abs-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded SQLite database', () => {
  it('is readable by its owner only, in a folder of its own, in durable WAL mode', async () => {
    const path = join(dir, 'nested', 'abs.db');
    const conn = connect(`sqlite:${path}`);
    await migrate(conn.db, conn.dialect);
    expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(join(dir, 'nested')).mode & 0o777).toString(8)).toBe('700');
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(conn.db);
    expect(rows[0]?.journal_mode).toBe('wal');
    await conn.close();
  });
});
