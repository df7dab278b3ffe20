import type pg from 'pg';
import type { DatabaseSession, QueryResult } from '../../spec/database.js';
import { translateDatabaseError } from '../core/database-error.js';

/** Query surface shared by the pool and a checked-out transaction client. */
export class PostgresSession implements DatabaseSession {
  constructor(protected readonly client: pg.Pool | pg.PoolClient) {}

  async query<Row = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<QueryResult<Row>> {
    try {
      const result = await this.client.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], affectedRows: result.rowCount ?? 0 };
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}
