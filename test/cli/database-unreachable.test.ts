import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run.js';

/** A loopback port that nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a database that cannot be reached', () => {
  it('is named by where DATABASE_URL points, without its password', async () => {
    const port = await closedPort();
    const result = await runCli(`postgres://abs:hunter2-secret@127.0.0.1:${port}/abs`, [
      'user',
      'list',
    ]);
    // 5, not 1: a monitor running `audit verify` tells an outage from a broken chain.
    expect(result.code).toBe(5);
    expect(result.stderr).toBe(
      `abs-auth: cannot use the database of DATABASE_URL (127.0.0.1:${port}/abs): ` +
        `connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
    expect(result.stderr + result.stdout).not.toContain('hunter2');
  });

  it('is not created by a command on a SQLite file that does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abs-missing-'));
    try {
      const file = join(dir, 'typo.db');
      for (const args of [
        ['audit', 'verify'],
        ['user', 'list'],
        ['org', 'create', '--name', 'X'],
      ]) {
        const result = await runCli(`sqlite:${file}`, args);
        expect(result.code, args.join(' ')).toBe(3);
        expect(result.stderr).toBe(
          `abs-auth: no database at ${file} (DATABASE_URL); start the server once or run ` +
            '`abs-auth migrate` to create the database\n',
        );
        expect(existsSync(file)).toBe(false);
      }
      // An empty file (a wiped database) is refused the same way, and left as it is.
      writeFileSync(file, '');
      const empty = await runCli(`sqlite:${file}`, ['audit', 'verify']);
      expect(empty.code).toBe(3);
      expect(empty.stderr).toMatch(/^abs-auth: an empty file at .*typo\.db \(DATABASE_URL\)/);
      expect(statSync(file).size).toBe(0);
      // A file that is not a database: named, with the outage code.
      writeFileSync(file, 'these bytes are not a SQLite database, whatever the name says\n');
      const notDb = await runCli(`sqlite:${file}`, ['audit', 'verify']);
      expect(notDb.code).toBe(5);
      expect(notDb.stderr).toBe(
        `abs-auth: cannot use the database of DATABASE_URL (${file}): file is not a database\n`,
      );
      rmSync(file);
      // `migrate` creates it, and then the commands work on it.
      expect((await runCli(`sqlite:${file}`, ['migrate'])).code).toBe(0);
      expect((await runCli(`sqlite:${file}`, ['audit', 'verify'])).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
