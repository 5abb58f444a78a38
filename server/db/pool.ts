import pg from 'pg';

/** A pool of PostgreSQL connections. */
export type Pool = pg.Pool;

/** Anything that runs queries: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Opens a pool. Nothing connects until the first query.
 *
 * @param databaseUrl - a `postgres://` URL
 * @param max - connections in the pool; the embedded PGlite multiplexes them onto one session
 */
export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, idleTimeoutMillis: 30_000 });
  // An idle client's connection can drop (a database restart, a proxy timeout); without a
  // listener that error would crash the process. The next query simply reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `work` in one transaction on one client, committing if it resolves and rolling back if
 * it throws.
 *
 * Inside `work`, query only through the client it is given: in embedded mode every pool
 * connection shares one PGlite session, so a second pool query would wait for this
 * transaction to end, and it never would.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: Queryable) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A connection that drops while the client is checked out (between two queries of the
  // transaction) emits 'error' on the client, which the pool does not listen to then:
  // unhandled, it would end the process. The next query fails instead, and the client is
  // discarded rather than returned to the pool.
  let isBroken = false;
  const onError = () => {
    isBroken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      isBroken = true;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(isBroken);
  }
}
