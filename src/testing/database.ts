/**
 * @module testing/database
 * Databases for tests: PGlite in memory (always), PostgreSQL when `KEEL_TEST_DATABASE_URL` is set
 * (CI sets it). Each PostgreSQL test database is created fresh and dropped afterwards.
 */
import pg from 'pg';
import { randomToken } from '../core/ids.js';
import type { DatabaseV1 } from '../spec/database.js';
import { migrate } from '../storage/core/migrator.js';
import { createPGliteDatabase, type PGliteDatabase } from '../storage/pglite/index.js';
import { createPostgresDatabase } from '../storage/postgres/index.js';

let migratedImage: Promise<Blob | File> | undefined;

/** A migrated in-memory PGlite database. Migrations run once per process; later ones start from a copy. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<PGliteDatabase> {
  if (options.migrated === false) return createPGliteDatabase();
  migratedImage ??= (async () => {
    const db = await createPGliteDatabase();
    await migrate(db);
    const image = await db.dumpDataDir();
    await db.close();
    return image;
  })();
  return createPGliteDatabase({ loadDataDir: await migratedImage });
}

export const testPostgresUrl = process.env.KEEL_TEST_DATABASE_URL;

/** A fresh, empty PostgreSQL database on the server at `KEEL_TEST_DATABASE_URL`; dropped by `drop()`. */
export async function createTestPostgresDatabase(): Promise<{
  db: DatabaseV1;
  url: string;
  drop: () => Promise<void>;
}> {
  if (!testPostgresUrl) throw new Error('KEEL_TEST_DATABASE_URL is not set');
  const name = `keel_test_${randomToken(10)}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  const db = await createPostgresDatabase({ connectionString: url.toString(), max: 4 });
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
