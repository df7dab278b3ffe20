import { createTestDatabase } from '../../src/testing/database.js';
import { runDatabaseSuite } from './database.suite.js';

runDatabaseSuite('pglite', async () => {
  const db = await createTestDatabase({ migrated: false });
  return { db, dispose: () => db.close() };
});
