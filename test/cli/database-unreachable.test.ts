import { createServer } from 'node:net';
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
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `abs-auth: cannot use the database of DATABASE_URL (127.0.0.1:${port}/abs): ` +
        `connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
    expect(result.stderr + result.stdout).not.toContain('hunter2');
  });
});
