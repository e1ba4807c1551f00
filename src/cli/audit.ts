import type { Command } from 'commander';

/** Audit commands (verify, export) are registered here. */
export function registerAuditCommands(program: Command): void {
  program.command('audit').description('the tamper-evident audit ledger');
}
