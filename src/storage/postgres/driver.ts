/**
 * @module storage/postgres/driver
 * PostgreSQL server through `pg`, for deployments that outgrow the embedded database.
 */
import pg from 'pg';
import type { DatabaseV1 } from '../../spec/database.js';
import { translateDatabaseError } from '../core/database-error.js';
import { PostgresSession } from './session.js';

export interface PostgresDatabaseOptions {
  connectionString: string;
  /** Pool size; default 10. */
  max?: number;
}

const INT8_OID = 20;

// Same value types as PGlite: int8 as a JS number (Keel's counters stay far below 2^53).
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export async function createPostgresDatabase(options: PostgresDatabaseOptions): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10, types });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw translateDatabaseError(error);
  }
  return new PostgresDatabase(pool);
}

export class PostgresDatabase extends PostgresSession implements DatabaseV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'postgres' as const;
  #closed = false;

  constructor(readonly pool: pg.Pool) {
    super(pool);
  }

  async transaction<T>(fn: (tx: PostgresSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PostgresSession(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw translateDatabaseError(error);
    } finally {
      client.release();
    }
  }

  async availableExtensions(): Promise<string[]> {
    const result = await this.query<{ name: string }>('SELECT name FROM pg_available_extensions');
    return result.rows.map((row) => row.name);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }
}
