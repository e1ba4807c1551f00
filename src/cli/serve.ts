import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrations.js';
import { startServer } from '../server.js';
import { print } from './context.js';

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP service (what `npm start` runs)')
    .action(async () => {
      const running = await startServer(loadConfig());
      let stopping = false;
      const shutdown = (signal: string) => {
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
