import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnServer } from '../support/process.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, useFreshDatabase } from '../support/server.js';

const database = useFreshDatabase();

const file = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The `--` words of a command line, in order. */
const flagsOf = (line: string) => line.split(' ').filter((word) => word.startsWith('--'));

const startScript = (JSON.parse(file('package.json')) as { scripts: { start: string } }).scripts
  .start;
const shebang = file('bin/abs-auth.js').split('\n')[0]!;

describe("the service's V8 memory settings", () => {
  it('are the same in `npm start` and on the first line of the installed command', () => {
    expect(shebang.startsWith('#!/usr/bin/env -S node ')).toBe(true);
    expect(flagsOf(startScript)).toContain('--heap-growing-percent=100');
    expect(flagsOf(startScript)).toContain('--max-semi-space-size=4');
    expect(flagsOf(shebang)).toEqual(flagsOf(startScript));
  });

  it('reach the process when the installed command is run as a file', async () => {
    const server = await spawnServer(
      {
        DATABASE_URL: database.url,
        ABS_ADMIN_EMAIL: ADMIN_EMAIL,
        ABS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      },
      { installed: true },
    );
    try {
      const line = server
        .output()
        .split('\n')
        .find((l) => l.includes('"server started"'));
      expect(JSON.parse(line!).nodeFlags).toEqual(flagsOf(startScript));
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
