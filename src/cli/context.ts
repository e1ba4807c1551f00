import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrations.js';
import { createLogger } from '../logger.js';
import { createServices, type Services } from '../services.js';
import { nameProblem } from '../text.js';

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
  if (!databaseUrl.startsWith('sqlite:')) return;
  const path = databaseUrl.slice('sqlite:'.length);
  if (path === ':memory:') return;
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
    3, // EXIT.notFound (failures.ts imports this file, so the number is written here)
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

/** Refuses a `--name` the API would refuse too: empty, longer than `max`, or unsafe to show. */
export function checkName(name: string | undefined, max: number): void {
  if (name === undefined) return;
  if (name.trim() === '' || name.trim().length > max) {
    throw new CliError(`--name: 1 to ${max} characters`);
  }
  const problem = nameProblem(name);
  if (problem) throw new CliError(`--name: ${problem}`);
  // Node decodes the command line as UTF-8 and puts U+FFFD where the bytes were not; the API
  // refuses such a body instead of storing what the client never meant.
  if (name.includes('\uFFFD')) throw new CliError('--name: is not valid UTF-8 text');
}
