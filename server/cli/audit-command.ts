import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../engine/errors/app-error.js';
import {
  type AuditCheckpoint,
  latestCheckpoint,
  writeCheckpoint,
} from '../audit/audit-checkpoint.js';
import { verifyAudit } from '../audit/verify-audit.js';
import { withDatabase } from './with-database.js';

const DATABASE_PURPOSE = 'whose audit trail to check';

/**
 * `pathwell audit verify [--checkpoint file]` and `pathwell audit checkpoint [--out file]`:
 * the audit chain checked from the command line, against the newest stored checkpoint or one
 * kept outside the database (the safer choice: whoever can rewrite the database can rewrite
 * its checkpoint table too, but not a file signed earlier and kept elsewhere).
 */
export function addAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Verify and checkpoint the audit trail');
  audit
    .command('verify')
    .description('Verify the hash chain and the last signed checkpoint; exits 1 on any fault')
    .option('--checkpoint <file>', 'a checkpoint exported earlier (JSON) to verify against')
    .action(async (options: { checkpoint?: string }) => {
      await withDatabase(DATABASE_PURPOSE, 2, async (pool, keyring) => {
        const checkpoint =
          options.checkpoint === undefined
            ? await latestCheckpoint(pool, keyring)
            : (JSON.parse(fs.readFileSync(options.checkpoint, 'utf8')) as AuditCheckpoint);
        const report = await verifyAudit(pool, checkpoint);
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (!report.ok) {
          process.exitCode = 1;
          throw new AppError(
            'internal_error',
            `The audit chain has ${report.faults.length} fault(s); see above.`,
          );
        }
      });
    });
  audit
    .command('checkpoint')
    .description('Sign the chain head now; print it, or write it to a file kept elsewhere')
    .option('--out <file>', 'where to write the checkpoint JSON')
    .action(async (options: { out?: string }) => {
      await withDatabase(DATABASE_PURPOSE, 2, async (pool, keyring) => {
        const checkpoint = await writeCheckpoint(pool, keyring);
        const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
        if (options.out === undefined) {
          process.stdout.write(text);
        } else {
          fs.writeFileSync(options.out, text, { mode: 0o600 });
        }
      });
    });
}
