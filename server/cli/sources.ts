import type { Command } from 'commander';
import { AppError } from '../../engine/errors/app-error.js';
import {
  addSource,
  listSources,
  removeSource,
  rotateSource,
  type SourceKind,
} from '../db/sources.store.js';
import { withDatabase } from './with-database.js';

const DATABASE_PURPOSE = 'of the server whose sources to manage';

/** Options of `pathwell sources add`. */
interface AddOptions {
  bearer?: boolean;
  mllpPeer?: string[];
  rateLimit?: string;
  secretFromEnv?: string;
}

/**
 * `pathwell sources …`: registers the EHRs and interface engines allowed to post events, with
 * their own secrets, without the admin UI. Secrets are printed once, when made.
 */
export function registerSourcesCommand(program: Command): void {
  const sources = program
    .command('sources')
    .description('Register, list, rotate and remove the sources allowed to post EHR events');

  sources
    .command('add <name>')
    .description('Register a source; prints its HMAC secret (or bearer token) once')
    .option('--bearer', 'authenticate with a bearer token instead of signing requests')
    .option('--mllp-peer <address...>', 'addresses or CIDR ranges its MLLP connections come from')
    .option('--rate-limit <perSecond>', 'requests per second (default PATHWELL_HOOK_RATE_LIMIT)')
    .option('--secret-from-env <variable>', 'use the secret in this environment variable')
    .action(async (name: string, options: AddOptions) => {
      await withDatabase(DATABASE_PURPOSE, 1, async (pool, keyring) => {
        const kind: SourceKind = options.bearer === true ? 'bearer' : 'hmac';
        const credential =
          options.secretFromEnv === undefined ? undefined : process.env[options.secretFromEnv];
        if (options.secretFromEnv !== undefined && (credential ?? '').length < 16) {
          throw new AppError(
            'request_invalid',
            `Set ${options.secretFromEnv} to a secret of at least 16 characters.`,
          );
        }
        const rate =
          options.rateLimit === undefined ? undefined : Number.parseInt(options.rateLimit, 10);
        const added = await addSource(pool, keyring, {
          name,
          kind,
          mllpPeers: options.mllpPeer ?? [],
          rateLimitPerSecond: Number.isFinite(rate) ? rate : undefined,
          ...(credential === undefined ? {} : { credential }),
        });
        const label = kind === 'hmac' ? 'HMAC secret' : 'Bearer token';
        process.stdout.write(
          `Registered source "${name}".\n${label} (shown once): ${added.credential}\n`,
        );
      });
    });

  sources
    .command('list')
    .description('List registered sources (never their secrets)')
    .action(async () => {
      await withDatabase(DATABASE_PURPOSE, 1, async (pool) => {
        for (const source of await listSources(pool)) {
          const peers = source.mllpPeers.length === 0 ? '-' : source.mllpPeers.join(',');
          process.stdout.write(
            `${source.name}\t${source.kind}\tmllp:${peers}\trate:${source.rateLimitPerSecond ?? 'default'}\n`,
          );
        }
      });
    });

  sources
    .command('rotate <name>')
    .description('Replace a source secret or token; prints the new one once')
    .action(async (name: string) => {
      await withDatabase(DATABASE_PURPOSE, 1, async (pool, keyring) => {
        const rotated = await rotateSource(pool, keyring, name);
        process.stdout.write(`New credential for "${name}" (shown once): ${rotated.credential}\n`);
      });
    });

  sources
    .command('remove <name>')
    .description('Remove a source; its requests are refused from then on')
    .action(async (name: string) => {
      await withDatabase(DATABASE_PURPOSE, 1, async (pool) => {
        await removeSource(pool, name);
        process.stdout.write(`Removed source "${name}".\n`);
      });
    });
}
