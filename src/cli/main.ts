import { Command, CommanderError } from 'commander';
import { registerAuditCommands } from './audit.js';
import { registerOrgCommands } from './orgs.js';
import { registerServeCommands } from './serve.js';
import { registerTokenCommands } from './tokens.js';
import { registerUserCommands } from './users.js';
import { CliError, EXIT } from './context.js';
import { databaseFailure, messageOf } from './database-failure.js';

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
  const database = databaseFailure(error, process.env.DATABASE_URL ?? '');
  process.stderr.write(`abs-auth: ${database ?? messageOf(error)}\n`);
  // A monitor running `audit verify` must tell an outage (5) from a broken chain (1).
  process.exit(database ? EXIT.database : 1);
}
