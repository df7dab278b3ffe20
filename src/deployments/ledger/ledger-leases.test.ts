import { describe } from 'vitest';
import { createTestDatabase } from '../../testing/database.js';
import { runLeaseSuite } from './ledger-leases.suite.js';

describe('the ledger on leases (PGlite, two ledgers on one database)', () => {
  runLeaseSuite(async () => {
    const db = await createTestDatabase();
    return { a: db, b: db, close: () => db.close() };
  });
});
