/**
 * @module storage/pglite/driver
 * The embedded database: PGlite (PostgreSQL compiled to WASM) in the data directory, with pgvector.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { DatabaseV1 } from '../../spec/database.js';
import { PGliteSession } from './session.js';

export interface PGliteDatabaseOptions {
  /** Directory for the database files; omit for an in-memory database (tests). */
  dataDir?: string;
  /** A data directory tarball (from `dumpDataDir`) to start from: makes test databases cheap. */
  loadDataDir?: Blob | File;
}

export async function createPGliteDatabase(options: PGliteDatabaseOptions = {}): Promise<PGliteDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { vector },
  });
  return new PGliteDatabase(pglite);
}

export class PGliteDatabase extends PGliteSession implements DatabaseV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'pglite' as const;

  constructor(readonly pglite: PGlite) {
    super(pglite);
  }

  transaction<T>(fn: (tx: PGliteSession) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(new PGliteSession(tx)));
  }

  /** PGlite delivers notifications in process, before the statement that committed them resolves. */
  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const stop = await this.pglite.listen(channel, onNotify);
    return () => stop();
  }

  async availableExtensions(): Promise<string[]> {
    const result = await this.query<{ name: string }>('SELECT name FROM pg_available_extensions');
    return result.rows.map((row) => row.name);
  }

  /** A tarball of the data directory, to seed other instances quickly. */
  dumpDataDir(): Promise<File | Blob> {
    return this.pglite.dumpDataDir('none');
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
