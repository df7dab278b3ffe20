/**
 * @module storage/postgres/driver
 * PostgreSQL server through `pg`, for deployments that outgrow the embedded database.
 */
import pg from 'pg';
import type { DatabaseV1 } from '../../spec/database.js';
import { isConnectionError, translateDatabaseError } from '../core/database-error.js';
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

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export class PostgresDatabase extends PostgresSession implements DatabaseV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'postgres' as const;
  #closed = false;
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  /** LISTEN needs a connection of its own, outside the pool, held for the database's lifetime. */
  #listenClient: Promise<pg.Client> | undefined;

  constructor(readonly pool: pg.Pool) {
    super(pool);
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const client = await this.#listener();
    let listeners = this.#listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(channel, listeners);
      await client.query(`LISTEN ${quoteName(channel)}`);
    }
    listeners.add(onNotify);
    return async () => {
      listeners.delete(onNotify);
      if (listeners.size || this.#listeners.get(channel) !== listeners) return;
      this.#listeners.delete(channel);
      await client.query(`UNLISTEN ${quoteName(channel)}`).catch(() => {});
    };
  }

  #listener(): Promise<pg.Client> {
    this.#listenClient ??= (async () => {
      const client = new pg.Client(this.pool.options);
      client.on('notification', (message) => {
        for (const listener of this.#listeners.get(message.channel) ?? []) listener(message.payload ?? '');
      });
      client.on('error', () => this.#lost(client));
      client.on('end', () => this.#lost(client));
      try {
        await client.connect();
      } catch (error) {
        this.#listenClient = undefined;
        throw translateDatabaseError(error);
      }
      return client;
    })();
    return this.#listenClient;
  }

  /** The listening connection dropped: reconnect, listen again, and tell everyone they may have missed changes. */
  #lost(client: pg.Client): void {
    const current = this.#listenClient;
    if (this.#closed || !current) return;
    void current.then(
      (active) => {
        if (active !== client) return;
        this.#listenClient = undefined;
        client.removeAllListeners('end');
        client.end().catch(() => {});
        const retry = (delayMs: number) => {
          const timer = setTimeout(async () => {
            if (this.#closed) return;
            try {
              const next = await this.#listener();
              for (const channel of this.#listeners.keys()) await next.query(`LISTEN ${quoteName(channel)}`);
              for (const listeners of this.#listeners.values())
                for (const listener of listeners) listener('*');
            } catch {
              this.#listenClient = undefined;
              retry(Math.min(delayMs * 2, 30_000));
            }
          }, delayMs);
          timer.unref();
        };
        retry(250);
      },
      () => {},
    );
  }

  async transaction<T>(fn: (tx: PostgresSession) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateDatabaseError(error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new PostgresSession(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that failed under the transaction is discarded, not returned to the pool.
      if (isConnectionError(error)) broken = error as Error;
      else await client.query('ROLLBACK').catch(() => {});
      throw translateDatabaseError(error);
    } finally {
      client.release(broken);
    }
  }

  async availableExtensions(): Promise<string[]> {
    const result = await this.query<{ name: string }>('SELECT name FROM pg_available_extensions');
    return result.rows.map((row) => row.name);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const listener = await this.#listenClient?.catch(() => undefined);
    await listener?.end().catch(() => {});
    await this.pool.end();
  }
}
