import { createPGliteWorkerDatabase } from '../../src/storage/pglite-worker/index.js';
import { runDatabaseSuite } from './database.suite.js';

runDatabaseSuite('pglite in a worker thread', async () => {
  const db = await createPGliteWorkerDatabase();
  return { db, dispose: () => db.close() };
});
