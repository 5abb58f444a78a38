import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool, withTransaction } from '../db/pool.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';

// The embedded database serves every process of `npm start` through one PGlite session. Before
// each connection's queries were kept whole, this mix gave wrong rows, 26000 and 34000 errors
// and a hang within a few hundred queries (see whole-query-cycles.ts).
describe('embedded PostgreSQL under concurrent connections', () => {
  let dataDir: string;
  let embedded: EmbeddedPostgres;
  let pool: Pool;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathwell-pglite-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: await getPort() });
    pool = createPool(embedded.url, 10);
    await pool.query('CREATE TABLE written (n int NOT NULL, note text NOT NULL)');
  }, 60_000);

  afterAll(async () => {
    await pool.end();
    await embedded.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers each parameterised query with its own rows while transactions run', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, async (_, n) => {
        if (n % 3 === 0) {
          await withTransaction(pool, async (client) => {
            await client.query('INSERT INTO written VALUES ($1, $2)', [n, 'a'.repeat(n)]);
            await client.query('INSERT INTO written VALUES ($1, $2)', [n, 'b'.repeat(n)]);
          });
          return true;
        }
        const answer = await pool.query<{ n: number; note: string }>(
          'SELECT $1::int AS n, $2::text AS note',
          [n, 'c'.repeat(n * 10)],
        );
        return answer.rows[0]?.n === n && answer.rows[0]?.note.length === n * 10;
      }),
    );

    expect(outcomes.filter((isRight) => !isRight)).toEqual([]);
    const rows = await pool.query<{ count: string }>('SELECT count(*) AS count FROM written');
    expect(Number(rows.rows[0]?.count)).toBe(200);
  }, 60_000);
});
