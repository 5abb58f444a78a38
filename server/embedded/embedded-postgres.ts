import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { runQueryCyclesWhole } from './whole-query-cycles.js';

/** An embedded PostgreSQL (PGlite) served on a local port, so every process talks plain `pg`. */
export interface EmbeddedPostgres {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts PGlite on a data folder and serves it over the PostgreSQL wire protocol on
 * 127.0.0.1. The process that calls this owns the database: the server and worker connect to
 * it as clients.
 *
 * One caveat shapes the code that uses it: PGlite has one session, which the socket server
 * shares among its connections, so a transaction holds every other connection until it ends
 * (and each query runs whole: see {@link runQueryCyclesWhole}).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
}): Promise<EmbeddedPostgres> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port,
    maxConnections: 100,
  });
  runQueryCyclesWhole(server);
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${options.port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
