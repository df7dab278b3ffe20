/**
 * The database conformance suite: every adapter of the database port must pass it, and so must
 * Keel's own SQL (migrations, keys, usage) on that adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../src/core/errors.js';
import { ApiKeyService } from '../../src/platform/api-keys.js';
import { ensureInstallation } from '../../src/platform/bootstrap.js';
import { ProjectService } from '../../src/platform/projects.js';
import { queryUsage, UsageMeter } from '../../src/platform/usage-meter.js';
import { UserService } from '../../src/platform/users.js';
import type { DatabaseV1 } from '../../src/spec/database.js';
import { migrate } from '../../src/storage/core/migrator.js';

export interface DatabaseFixture {
  db: DatabaseV1;
  dispose: () => Promise<void>;
}

export function runDatabaseSuite(name: string, makeDatabase: () => Promise<DatabaseFixture>): void {
  describe(`database conformance: ${name}`, () => {
    let fixture: DatabaseFixture;
    let db: DatabaseV1;

    beforeAll(async () => {
      fixture = await makeDatabase();
      db = fixture.db;
      await migrate(db);
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    it('reports the specification version and provider', () => {
      expect(db.specificationVersion).toBe('v1');
      expect(['pglite', 'postgres']).toContain(db.provider);
    });

    it('normalises value types the same way on every engine', async () => {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT 9007199254740::int8 AS big, 3::int AS small, 1.5::float8 AS real, true AS flag, NULL::text AS nothing,
                '{"a":[1,2]}'::jsonb AS doc, ARRAY['x','y']::text[] AS list, '2026-01-02T03:04:05Z'::timestamptz AS at, 'ㅎ한글'::text AS korean`,
      );
      const row = rows[0]!;
      expect(row.big).toBe(9007199254740);
      expect(row.small).toBe(3);
      expect(row.real).toBe(1.5);
      expect(row.flag).toBe(true);
      expect(row.nothing).toBeNull();
      expect(row.doc).toEqual({ a: [1, 2] });
      expect(row.list).toEqual(['x', 'y']);
      expect(row.at).toBeInstanceOf(Date);
      expect((row.at as Date).toISOString()).toBe('2026-01-02T03:04:05.000Z');
      expect(row.korean).toBe('ㅎ한글');
    });

    it('binds parameters, including JSON and arrays', async () => {
      await db.exec('CREATE TEMP TABLE IF NOT EXISTS t_params (id int PRIMARY KEY, doc jsonb, tags text[])');
      const inserted = await db.query('INSERT INTO t_params VALUES ($1, $2, $3)', [
        1,
        JSON.stringify({ k: 'v' }),
        ['a', 'b'],
      ]);
      expect(inserted.affectedRows).toBe(1);
      const { rows } = await db.query<{ doc: unknown; tags: string[] }>(
        'SELECT doc, tags FROM t_params WHERE id = $1',
        [1],
      );
      expect(rows[0]).toEqual({ doc: { k: 'v' }, tags: ['a', 'b'] });
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      await db.exec('CREATE TABLE IF NOT EXISTS t_tx (id int PRIMARY KEY)');
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO t_tx VALUES (1)');
      });
      await expect(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t_tx VALUES (2)');
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const { rows } = await db.query<{ id: number }>('SELECT id FROM t_tx ORDER BY id');
      expect(rows.map((row) => row.id)).toEqual([1]);
    });

    it('turns a unique violation into a conflict error without the SQL text', async () => {
      await db.exec('CREATE TABLE IF NOT EXISTS t_unique (v text UNIQUE)');
      await db.query('INSERT INTO t_unique VALUES ($1)', ['secret-value']);
      const error = await db
        .query('INSERT INTO t_unique VALUES ($1)', ['secret-value'])
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(KeelError);
      expect((error as KeelError).code).toBe('conflict');
      expect(JSON.stringify((error as KeelError).toJSON())).not.toContain('secret-value');
    });

    it('applies migrations once', async () => {
      const again = await migrate(db);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBeGreaterThan(0);
      expect(again.drifted).toEqual([]);
    });

    it('bootstraps once: the default project and one admin key', async () => {
      const first = await ensureInstallation(db);
      expect(first.generatedAdminKey).toMatch(/^keel_/);
      const second = await ensureInstallation(db);
      expect(second.generatedAdminKey).toBeUndefined();
      expect(second.defaultProjectId).toBe(first.defaultProjectId);
      const keys = new ApiKeyService(db);
      const principal = await keys.authenticate(first.generatedAdminKey!);
      expect(principal?.projectRoles.get(first.defaultProjectId)).toBe('admin');
    });

    it('creates the bootstrap key from configuration, idempotently', async () => {
      const secret = 'automation-key-0123456789abcdef';
      await ensureInstallation(db, { bootstrapKey: secret });
      await ensureInstallation(db, { bootstrapKey: secret });
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM api_keys WHERE name = 'bootstrap'",
      );
      expect(rows[0]!.n).toBe(1);
      expect(await new ApiKeyService(db).authenticate(secret)).not.toBeNull();
    });

    it('stores keys hashed, scopes them, expires and revokes them', async () => {
      const installation = await ensureInstallation(db);
      const keys = new ApiKeyService(db, { cacheTtlMs: 0 });
      const { key, secret } = await keys.create({
        organizationId: installation.organizationId,
        projectId: installation.defaultProjectId,
        name: 'ci',
        role: 'viewer',
      });
      const stored = await db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [
        key.id,
      ]);
      expect(JSON.stringify(stored.rows)).not.toContain(secret);
      expect((await keys.authenticate(secret))?.projectRoles.get(installation.defaultProjectId)).toBe(
        'viewer',
      );
      await keys.revoke(installation.defaultProjectId, key.id);
      expect(await keys.authenticate(secret)).toBeNull();
      await expect(keys.revoke('prj_other', key.id)).rejects.toMatchObject({ code: 'not_found' });

      const expired = await keys.create({
        organizationId: installation.organizationId,
        projectId: installation.defaultProjectId,
        name: 'old',
        role: 'editor',
        expiresAt: new Date(Date.now() - 1000),
      });
      expect(await keys.authenticate(expired.secret)).toBeNull();
      expect(await keys.authenticate('keel_not-a-real-key-at-all')).toBeNull();
    });

    it('signs users in with their memberships and refuses wrong passwords alike', async () => {
      const installation = await ensureInstallation(db);
      const keys = new ApiKeyService(db, { cacheTtlMs: 0 });
      const users = new UserService(db, keys);
      const projects = new ProjectService(db);
      const other = await projects.create({
        organizationId: installation.organizationId,
        name: `p-${Date.now()}`,
      });
      const user = await users.create({
        organizationId: installation.organizationId,
        email: 'Ada@Example.com',
        password: 'correct horse battery',
      });
      await users.setMembership(user.id, other.id, 'editor');
      const session = await users.signIn('ada@example.com', 'correct horse battery');
      const principal = await keys.authenticate(session.secret);
      expect(principal?.userId).toBe(user.id);
      expect(principal?.projectRoles.get(other.id)).toBe('editor');
      expect(principal?.projectRoles.has(installation.defaultProjectId)).toBe(false);
      await expect(users.signIn('ada@example.com', 'wrong')).rejects.toMatchObject({ code: 'unauthorized' });
      await expect(users.signIn('nobody@example.com', 'wrong')).rejects.toMatchObject({
        code: 'unauthorized',
      });
      await expect(
        projects.create({ organizationId: installation.organizationId, name: other.name }),
      ).rejects.toMatchObject({ code: 'conflict' });
    });

    it('writes usage in batches and aggregates it by model, key and day', async () => {
      const installation = await ensureInstallation(db);
      const meter = new UsageMeter(db, { flushIntervalMs: 10_000, maxBatch: 1000 });
      for (let i = 0; i < 250; i++) {
        meter.record({
          projectId: installation.defaultProjectId,
          keyId: i % 2 ? 'key_a' : 'key_b',
          modelId: i % 5 ? 'llamacpp:tiny' : 'vllm:granite',
          endpoint: '/v1/chat/completions',
          inputTokens: 10,
          outputTokens: 5,
          latencyMs: i,
          status: i === 0 ? 502 : 200,
        });
      }
      await meter.close();
      const byModel = await queryUsage(db, { projectId: installation.defaultProjectId, groupBy: ['model'] });
      expect(byModel).toHaveLength(2);
      const tiny = byModel.find((row) => row.model === 'llamacpp:tiny')!;
      expect(tiny.requests).toBe(200);
      expect(tiny.inputTokens).toBe(2000);
      expect(byModel.find((row) => row.model === 'vllm:granite')!.errors).toBe(1);
      const byKeyDay = await queryUsage(db, {
        projectId: installation.defaultProjectId,
        groupBy: ['key', 'day'],
      });
      expect(byKeyDay.map((row) => row.keyId).sort()).toEqual(['key_a', 'key_b']);
      expect(byKeyDay[0]!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const none = await queryUsage(db, { projectId: 'prj_elsewhere', groupBy: ['model'] });
      expect(none).toEqual([]);
    });

    it('serialises concurrent transactions without losing writes', async () => {
      await db.exec('CREATE TABLE IF NOT EXISTS t_counter (id int PRIMARY KEY, n int NOT NULL)');
      await db.query('INSERT INTO t_counter VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0');
      await Promise.all(
        Array.from({ length: 20 }, () =>
          db.transaction(async (tx) => {
            await tx.query('UPDATE t_counter SET n = n + 1 WHERE id = 1');
          }),
        ),
      );
      const { rows } = await db.query<{ n: number }>('SELECT n FROM t_counter WHERE id = 1');
      expect(rows[0]!.n).toBe(20);
    });
  });
}
