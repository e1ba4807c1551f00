import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { sqlitePath } from '../db/connect.js';
import { migrate } from '../db/migrations.js';
import { createLogger } from '../logger.js';
import { createServices, type Services } from '../services.js';
import { displayName } from '../text.js';

/**
 * Exit codes of the account manager's commands, so scripts can tell outcomes apart:
 * 0 done; 1 usage error (reported by the argument parser), a broken audit chain, or an
 * unexpected failure; 2 an invalid value; 3 the named thing (or the database file) does not
 * exist; 4 refused by a rule (last admin, a token already rotated or revoked, a disabled user, an
 * email already taken); 5 the database could not be used (`database-failure.ts`).
 */
export const EXIT = { invalid: 2, notFound: 3, refused: 4, database: 5 } as const;

/** A refusal the CLI reports as one line on stderr and a non-zero exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/**
 * Opens the same database as the server (DATABASE_URL), brings its schema up to date, runs the
 * command and closes it. CLI logs go to stderr so that stdout carries only the command's answer.
 */
export async function withServices<T>(run: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  requireSqliteFile(config.databaseUrl);
  const logger = createLogger(process.env.ABS_LOG_LEVEL ?? 'warn', process.stderr);
  const services = await createServices(config, { logger });
  try {
    await migrate(services.db, services.dialect);
    return await run(services);
  } finally {
    await services.close();
  }
}

/**
 * A command on a SQLite file that does not exist would create an empty database and report on
 * it: `audit verify` would pass on nothing, and a typo in DATABASE_URL would go unnoticed. Only
 * `serve` and `migrate` create the file.
 */
function requireSqliteFile(databaseUrl: string): void {
  const path = sqlitePath(databaseUrl);
  if (path === undefined || path === ':memory:') return;
  // An empty file is what SQLite makes of a path it opens: a wiped database looks the same.
  const state = !existsSync(path)
    ? 'no database at'
    : statSync(path).size === 0
      ? 'an empty file at'
      : '';
  if (!state) return;
  throw new CliError(
    `${state} ${resolve(path)} (DATABASE_URL); start the server once or run ` +
      '`abs-auth migrate` to create the database',
    EXIT.notFound,
  );
}

export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Refuses a `--name` the API would refuse too (`displayName`), and what argv mangled. */
export function checkName(name: string | undefined, max: number): void {
  if (name === undefined) return;
  const checked = displayName(max).safeParse(name);
  if (!checked.success) {
    const problem = checked.error.issues[0]!;
    const words = problem.code === 'custom' ? problem.message : `1 to ${max} characters`;
    throw new CliError(`--name: ${words}`);
  }
  // Node decodes the command line as UTF-8 and puts U+FFFD where the bytes were not; the API
  // refuses such a body instead of storing what the client never meant.
  if (name.includes('\uFFFD')) throw new CliError('--name: is not valid UTF-8 text');
}
