import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis.js';

export interface TestPostgres {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

function pgBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((x, y) => Number(y) - Number(x));
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

function asPostgres(command: string, args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
}

/**
 * A PostgreSQL cluster of the test's own, which it may stop and start: for outage tests, where the
 * shared test database must not go down. Needs root (the suite runs as root) and Debian's server.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'abs-pg-'));
  chmodSync(dir, 0o755);
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  chownSync(dir, uid, gid);
  const port = await freePort();
  const bin = pgBin();
  asPostgres(`${bin}/initdb`, ['-D', `${dir}/data`, '-U', 'postgres', '-A', 'trust']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    asPostgres(`${bin}/pg_ctl`, [
      '-D',
      `${dir}/data`,
      '-l',
      `${dir}/log`,
      '-w',
      '-o',
      options,
      'start',
    ]);
  const stop = () => asPostgres(`${bin}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'immediate', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
