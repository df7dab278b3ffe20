/**
 * @module storage
 * Opens the configured database (PostgreSQL when a URL is set, PGlite in the data directory
 * otherwise) and brings its schema up to date.
 */
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';
import type { DatabaseV1 } from '../spec/database.js';
import { migrate } from './core/migrator.js';
import { acquireProcessLock } from './core/process-lock.js';

export interface OpenDatabaseOptions {
  url?: string | undefined;
  dataDir: string;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseV1> {
  let db: DatabaseV1;
  if (options.url) {
    const { createPostgresDatabase } = await import('./postgres/index.js');
    try {
      db = await createPostgresDatabase({ connectionString: options.url });
    } catch (error) {
      throw new KeelError(
        'service_unavailable',
        `Cannot connect to PostgreSQL at ${redactUrl(options.url)}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  } else {
    // On its own thread: embedded database work must not stall the requests in flight.
    const { createPGliteWorkerDatabase } = await import('./pglite-worker/index.js');
    // The data directory is its owner's only: 0700, files 0600 (core/private-files).
    const { makePrivateDir, makeTreePrivate } = await import('../core/private-files.js');
    await makePrivateDir(options.dataDir);
    await makeTreePrivate(options.dataDir);
    const lock = acquireProcessLock(
      path.join(options.dataDir, 'db.lock'),
      `The database in ${options.dataDir}`,
    );
    try {
      const pglite = await createPGliteWorkerDatabase({ dataDir: path.join(options.dataDir, 'db') });
      const close = pglite.close.bind(pglite);
      pglite.close = async () => {
        await close();
        lock.release();
      };
      db = pglite;
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

// Connection strings are shown through the one URL redaction helper.
export { redactUrl };
