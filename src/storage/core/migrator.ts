/**
 * @module storage/core/migrator
 * Applies the numbered SQL migrations shared by both engines, each in its own transaction, and
 * records them in `keel_migrations`. A migration that fails leaves the database at the previous
 * one; a migration whose text changed after it was applied is reported, not re-run. On PostgreSQL
 * each step holds a transaction-scoped advisory lock, so replicas starting at once against the
 * same database apply every migration exactly once (the others wait, then find it applied).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { KeelError } from '../../core/errors.js';
import type { DatabaseV1 } from '../../spec/database.js';

export const migrationsDirectory = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
  /** Applied migrations whose file has changed since. */
  drifted: string[];
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;
// Any fixed number: serialises concurrent migrators on a PostgreSQL server.
const ADVISORY_LOCK_ID = 0x6b65656c;

export async function readMigrations(directory = migrationsDirectory): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => MIGRATION_FILE.test(file)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file)!;
    const sql = await readFile(
      new URL(file, `file://${directory.endsWith('/') ? directory : `${directory}/`}`),
      'utf8',
    );
    migrations.push({
      id: Number(match[1]),
      name: file.replace(/\.sql$/, ''),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  migrations.forEach((migration, index) => {
    if (migration.id !== index + 1) {
      throw new KeelError(
        'internal',
        `Migrations must be numbered 1, 2, 3…; found ${migration.name} at position ${index + 1}.`,
      );
    }
  });
  return migrations;
}

export async function migrate(db: DatabaseV1, migrations?: Migration[]): Promise<MigrationReport> {
  const all = migrations ?? (await readMigrations());
  // Under the lock too: two CREATE TABLE IF NOT EXISTS at once can both try to create the table
  // (replicas starting together against an empty database).
  await db.transaction(async (tx) => {
    if (db.provider === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_ID]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS keel_migrations (
      id integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const report: MigrationReport = { applied: [], alreadyApplied: 0, drifted: [] };
  for (const migration of all) {
    await db.transaction(async (tx) => {
      if (db.provider === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_ID]);
      const existing = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM keel_migrations WHERE id = $1',
        [migration.id],
      );
      const row = existing.rows[0];
      if (row) {
        report.alreadyApplied++;
        if (row.checksum !== migration.checksum) report.drifted.push(migration.name);
        return;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO keel_migrations (id, name, checksum) VALUES ($1, $2, $3)', [
        migration.id,
        migration.name,
        migration.checksum,
      ]);
      report.applied.push(migration.name);
    });
  }
  return report;
}
