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
  process.stderr.write(`abs-auth: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
