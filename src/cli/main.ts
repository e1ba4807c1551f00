import { Command, CommanderError } from 'commander';
import { registerAuditCommands } from './audit.js';
import { registerOrgCommands } from './orgs.js';
import { registerServeCommands } from './serve.js';
import { registerTokenCommands } from './tokens.js';
import { registerUserCommands } from './users.js';
import { CliError } from './context.js';

const program = new Command('abs-auth')
  .description("ABS Core Auth: the service and the account manager's desk")
  .showHelpAfterError()
  .exitOverride();

registerServeCommands(program);
registerOrgCommands(program);
registerUserCommands(program);
registerTokenCommands(program);
registerAuditCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof CliError) {
    process.stderr.write(`abs-auth: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`abs-auth: ${describe(error)}\n`);
  process.exit(1);
}

/** The message of an unexpected failure; one of reaching the database names where it looked. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const network = typeof code === 'string' && /^(E[A-Z]+|08\w{3}|28\w{3}|3D000)$/.test(code);
  const url = process.env.DATABASE_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(url) || !(network || /^Connection terminated/.test(message))) {
    return message;
  }
  // Host, port and database only: the URL may hold a password.
  const where = URL.canParse(url) ? new URL(url) : undefined;
  const named = where ? `${where.host}${where.pathname}` : 'the address given';
  return `cannot use the database of DATABASE_URL (${named}): ${message}`;
}
