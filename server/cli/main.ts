import { Command } from 'commander';
import { AppError, isAppError } from '../../engine/errors/app-error.js';
import { loadConfig } from '../config/config.js';
import { migrateUp } from '../db/migrate.js';
import { createLogger } from '../log/logger.js';
import { startServer } from '../serve.js';
import { startWorker } from '../worker/run-worker.js';
import { addAuditCommands } from './audit-command.js';
import { registerRunsCommand } from './runs-command.js';
import { registerSourcesCommand } from './sources.js';
import { registerUsersCommand } from './users-command.js';
import { runStart } from './start.js';

const program = new Command('pathwell')
  .description('Patient-communication journeys: EHR events in, consented and protected email out.')
  .showHelpAfterError();

program
  .command('start')
  .description('Run everything: embedded services in development, then the server and the worker')
  .action(async () => {
    await runStart(process.env);
  });

program
  .command('server')
  .description('Run the API server and the builder UI (needs DATABASE_URL and TEMPORAL_ADDRESS)')
  .action(async () => {
    const config = loadConfig();
    const log = createLogger({ name: 'server', level: config.logLevel });
    const server = await startServer(config, log);
    await untilSignal();
    await server.stop();
  });

program
  .command('worker')
  .description(
    'Run a Temporal worker for journey runs (needs DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL)',
  )
  .action(async () => {
    const config = loadConfig();
    const log = createLogger({ name: 'worker', level: config.logLevel });
    const worker = await startWorker(config, log);
    await Promise.race([untilSignal(), worker.done]);
    await worker.shutdown();
  });

program
  .command('migrate')
  .description('Apply pending database migrations to DATABASE_URL')
  .action(async () => {
    const config = loadConfig();
    const log = createLogger({ name: 'migrate', level: config.logLevel });
    if (config.databaseUrl === undefined) {
      throw new AppError(
        'config_invalid',
        'Set DATABASE_URL to the database to migrate (pathwell start migrates its embedded one itself).',
      );
    }
    const applied = await migrateUp(config.databaseUrl, log);
    process.stdout.write(
      applied.length === 0 ? 'No pending migrations.\n' : `Applied: ${applied.join(', ')}\n`,
    );
  });

// Compliance core: audit verification and checkpoints.
addAuditCommands(program);
registerSourcesCommand(program);
registerUsersCommand(program);
// Operations: runs.
registerRunsCommand(program);

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    // A supervising parent that dies (even by SIGKILL) closes our IPC channel: stop with it.
    process.once('disconnect', () => resolve());
  });
}

try {
  await program.parseAsync(process.argv);
  process.exit(0);
} catch (error) {
  const message = isAppError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
  process.stderr.write(`pathwell: ${message}\n`);
  process.exit(1);
}
