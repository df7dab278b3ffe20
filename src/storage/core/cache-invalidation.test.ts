import { afterEach, describe, expect, it } from 'vitest';
import { GuardrailService } from '../../guardrails/guardrail-service.js';
import { ApiKeyService } from '../../platform/api-keys.js';
import { ensureInstallation } from '../../platform/bootstrap.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { createTestDatabase, createTestPostgresDatabase, testPostgresUrl } from '../../testing/database.js';
import { createPGliteWorkerDatabase } from '../pglite-worker/index.js';
import { createPostgresDatabase } from '../postgres/index.js';
import { changeFeed } from './cache-invalidation.js';
import { migrate } from './migrator.js';

const secretKey = Buffer.alloc(32, 7);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The same database as another replica sees it, with its statements counted. */
function counted(db: DatabaseV1): { db: DatabaseV1; queries: () => number } {
  let queries = 0;
  const proxy = new Proxy(db, {
    get(target, property) {
      if (property === 'query')
        return (...args: Parameters<DatabaseV1['query']>) => {
          queries++;
          return target.query(...args);
        };
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, queries: () => queries };
}

async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Two replicas on one database: policies saved on one are enforced on the other within 1 s. */
async function replicaSuite(a: DatabaseV1, b: DatabaseV1) {
  const { defaultProjectId: projectId } = await ensureInstallation(a);
  const one = new GuardrailService(a, secretKey);
  const watched = counted(b);
  const two = new GuardrailService(watched.db, secretKey);
  cleanups.push(async () => {
    await one.close();
    await two.close();
  });
  // As the runtime does before serving: listening from here on.
  await changeFeed(watched.db).ready();

  // A project without a policy: the first call asks the database, the next ones nothing.
  expect(await two.resolve(projectId, {})).toBeUndefined();
  const before = watched.queries();
  for (let i = 0; i < 100; i++) expect(await two.resolve(projectId, {})).toBeUndefined();
  expect(watched.queries()).toBe(before);

  await one.putPolicy(projectId, 'default', { input: { pii: { action: 'block' } } }, null);
  await eventually(async () => (await two.resolve(projectId, {}))?.body.input.pii.action === 'block', 1000);
  await one.putPolicy(projectId, 'default', { input: { pii: { action: 'flag' } } }, null);
  await eventually(async () => (await two.resolve(projectId, {}))?.body.input.pii.action === 'flag', 1000);
  await one.deletePolicy(projectId, 'default');
  await eventually(async () => (await two.resolve(projectId, {})) === undefined, 1000);

  // Keys: a key revoked through one replica stops authenticating on the other.
  const keysOne = new ApiKeyService(a);
  const keysTwo = new ApiKeyService(b);
  await changeFeed(b).ready();
  const installation = await ensureInstallation(a);
  const { key, secret } = await keysOne.create({
    organizationId: installation.organizationId,
    projectId,
    name: 'replica',
    role: 'editor',
  });
  expect(await keysTwo.authenticate(secret)).not.toBeNull();
  await keysOne.revoke(projectId, key.id);
  await eventually(async () => (await keysTwo.authenticate(secret)) === null, 1000);
}

describe('cache invalidation across replicas', () => {
  it('PGlite: notifications arrive in process before the write resolves', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.close());
    await replicaSuite(db, db);
  });

  it('PGlite on its own thread: notifications cross from the worker', async () => {
    const db = await createPGliteWorkerDatabase();
    cleanups.push(() => db.close());
    await migrate(db);
    await replicaSuite(db, db);
  });

  it.skipIf(!testPostgresUrl)('PostgreSQL: LISTEN/NOTIFY reaches another connection pool', async () => {
    const first = await createTestPostgresDatabase();
    cleanups.push(first.drop);
    await migrate(first.db);
    const second = await createPostgresDatabase({ connectionString: first.url, max: 2 });
    cleanups.push(() => second.close());
    await replicaSuite(first.db, second);
  });
});
