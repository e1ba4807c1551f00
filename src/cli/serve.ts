import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrations.js';
import { startServer, type RunningServer } from '../server.js';
import { print } from './context.js';

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP service (what `npm start` runs)')
    .action(async () => {
      // The handlers go in before the start. Without them a signal that lands between the
      // "server started" line and their installation meets the default action: the process dies
      // by the signal, with its server and database open. While starting there is nothing to
      // drain yet, so a signal then ends the process at once, with the shell's code for it.
      let running: RunningServer | undefined;
      let stopping = false;
      const shutdown = (signal: 'SIGTERM' | 'SIGINT') => {
        if (!running) process.exit(signal === 'SIGINT' ? 130 : 143);
        if (stopping) return;
        stopping = true;
        running.services.logger.info({ signal }, 'shutdown requested');
        running.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
      running = await startServer(loadConfig());
    });

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const connection = connect(loadConfig().databaseUrl);
      try {
        const applied = await migrate(connection.db, connection.dialect);
        print(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      } finally {
        await connection.close();
      }
    });
}
