import { describe, it } from 'vitest';
import { createTestPostgresDatabase, testPostgresUrl } from '../../src/testing/database.js';
import { runDatabaseSuite } from './database.suite.js';

if (testPostgresUrl) {
  runDatabaseSuite('postgres', async () => {
    const { db, drop } = await createTestPostgresDatabase();
    return { db, dispose: drop };
  });
} else if (process.env.CI) {
  describe('database conformance: postgres', () => {
    it('needs KEEL_TEST_DATABASE_URL in CI', () => {
      throw new Error('CI must start PostgreSQL and set KEEL_TEST_DATABASE_URL (see .ci/run).');
    });
  });
} else {
  describe.skip('database conformance: postgres (set KEEL_TEST_DATABASE_URL to run)', () => {
    it('skipped', () => {});
  });
}
