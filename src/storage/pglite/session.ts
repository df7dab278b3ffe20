import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { DatabaseSession, QueryResult } from '../../spec/database.js';
import { translateDatabaseError } from '../core/database-error.js';

/** Query surface shared by the PGlite database and its transactions. */
export class PGliteSession implements DatabaseSession {
  constructor(protected readonly client: PGlite | Transaction) {}

  async query<Row = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<QueryResult<Row>> {
    try {
      const result = await this.client.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.client.exec(sql);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}
