import { afterAll, describe, expect, it } from 'vitest';
import { createPgvectorIndex } from '../../src/rag/vector/pgvector-index.js';
import type { DatabaseV1 } from '../../src/spec/database.js';
import { createTestDatabase } from '../../src/testing/database.js';
import { runVectorIndexSuite } from './vector-index.suite.js';

// One PGlite per file (start-up is the slow part); each test gets its own table.
let database: Promise<DatabaseV1> | undefined;
let counter = 0;
afterAll(async () => {
  await (await database)?.close();
});

runVectorIndexSuite('pgvector on PGlite', async (dimensions) => {
  database ??= createTestDatabase({ migrated: false });
  const db = await database;
  const table = `vectors_${++counter}`;
  const index = await createPgvectorIndex({ db, table, dimensions });
  return { index, dispose: () => db.exec(`DROP TABLE ${table}`) };
});

describe('pgvector without the extension', () => {
  it('fails with not_implemented and says what to install', async () => {
    database ??= createTestDatabase({ migrated: false });
    const db = await database;
    // The same engine, seen as a PostgreSQL server whose packages lack pgvector (Debian's).
    const withoutVector: DatabaseV1 = Object.assign(Object.create(db) as DatabaseV1, {
      provider: 'postgres' as const,
      availableExtensions: async () => (await db.availableExtensions()).filter((name) => name !== 'vector'),
    });
    await expect(
      createPgvectorIndex({ db: withoutVector, table: 'never_created', dimensions: 3 }),
    ).rejects.toMatchObject({
      code: 'not_implemented',
      message: expect.stringContaining('pgvector'),
    });
  });
});
