import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadDkimKey } from '../../server/config/dkim-key.js';
import { migrateUp } from '../../server/db/migrate.js';
import { ensureDevCertificates } from '../../server/embedded/dev-ca.js';
import { locateTemporalCli } from '../../server/embedded/temporal-cli.js';
import { startTemporalDevServer } from '../../server/embedded/temporal-dev-server.js';
import { createLogger } from '../../server/log/logger.js';
import { workflowBundle } from '../../server/worker/workflow-bundle.js';

/** What the global setup hands to every integration test file. */
export interface IntegrationEnvironment {
  temporalAddress: string;
  /** A server URL without a database name, e.g. postgres://127.0.0.1:5432 */
  postgresBaseUrl: string;
  /** A migrated database to copy per test file (CREATE DATABASE … TEMPLATE). */
  templateDatabase: string;
  /** A data folder with the workflow bundle cached in it. */
  dataDir: string;
  /** A CA and a localhost certificate it signed, for test SMTP servers. */
  tlsDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    integration: IntegrationEnvironment;
  }
}

/**
 * Starts what integration tests need, once per test run: the real Temporal dev server (its own,
 * on free ports, in memory) and a migrated template database in the machine's PostgreSQL. Never
 * touches a running `npm start`, and drops what it made afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createLogger({ name: 'test-setup', level: 'warn' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-test-'));
  const postgresBaseUrl =
    process.env.PATHWELL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const templateDatabase = `pathwell_tpl_${randomBytes(4).toString('hex')}`;

  const admin = new pg.Client({ connectionString: `${postgresBaseUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${templateDatabase}`);
  await migrateUp(`${postgresBaseUrl}/${templateDatabase}`, log);

  const cli = await locateTemporalCli((message) => process.stdout.write(`${message}\n`));
  const temporal = await startTemporalDevServer({
    cli,
    port: await getPort(),
    namespace: 'default',
    logFile: path.join(dataDir, 'temporal.log'),
  });
  const tlsDir = path.join(dataDir, 'tls');
  await ensureDevCertificates(tlsDir);
  await workflowBundle(path.join(dataDir, 'cache'));
  // A DKIM key for every harness, in development and production mode alike.
  loadDkimKey({
    keyFile: undefined,
    domain: 'pathwell.localhost',
    selector: 'pathwell',
    dataDir,
    mode: 'development',
  });

  project.provide('integration', {
    temporalAddress: temporal.address,
    postgresBaseUrl,
    templateDatabase,
    dataDir,
    tlsDir,
  });

  return async () => {
    await temporal.stop();
    // Databases made from the template by test files that crashed are dropped with it.
    const leftovers = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${templateDatabase.replace('_tpl_', '_t_')}%`],
    );
    for (const row of leftovers.rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    }
    await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
