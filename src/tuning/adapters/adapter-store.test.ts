/**
 * The adapter store on PGlite and, when KEEL_TEST_DATABASE_URL is set, on PostgreSQL (real
 * concurrent connections): registrations of one adapter at once get consecutive versions, each
 * row with its own file; a version whose row is refused leaves no file; removal takes rows and files.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseV1 } from '../../spec/database.js';
import { migrate } from '../../storage/core/migrator.js';
import { createTestDatabase, createTestPostgresDatabase, testPostgresUrl } from '../../testing/database.js';
import { AdapterStore, type NewAdapterVersion } from './adapter-store.js';

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

function version(name: string, bytes: string): NewAdapterVersion {
  return {
    name,
    baseModel: 'tiny',
    baseSha256: sha('base'),
    architecture: 'llama',
    sha256: sha(bytes),
    sizeBytes: bytes.length,
    scale: 1,
    header: { alpha: 8, rank: 4, targets: ['blk.0.attn_q.weight'], name: null },
    lineage: { hyperParameters: { epochs: 2 } },
    createdBy: 'tester',
  };
}

async function exercise(db: DatabaseV1): Promise<void> {
  await db.query("INSERT INTO organizations (id, name) VALUES ('org_ad', 'ad') ON CONFLICT DO NOTHING");
  await db.query(
    "INSERT INTO projects (id, organization_id, name) VALUES ('prj_ad', 'org_ad', 'ad') ON CONFLICT DO NOTHING",
  );
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keel-adapter-store-'));
  try {
    const store = new AdapterStore(db, dataDir);
    const contents = ['one', 'two', 'three', 'four'];
    const sources = await Promise.all(
      contents.map(async (text) => {
        const file = await store.uploadFile();
        await writeFile(file, text);
        return { file, text };
      }),
    );
    const created = await Promise.all(
      sources.map(({ file, text }) => store.create('prj_ad', version('race', text), { file, move: true })),
    );
    expect(created.map((v) => v.version).sort()).toEqual([1, 2, 3, 4]);
    for (const v of created) {
      expect(sha(await readFile(store.fileOf('prj_ad', 'race', v.version)))).toBe(v.sha256);
    }
    expect((await store.versions('prj_ad', 'race')).map((v) => v.version)).toEqual([1, 2, 3, 4]);
    expect(await store.get('prj_ad', 'race')).toMatchObject({ version: 4 });
    expect(await store.get('prj_ad', 'race', 2)).toMatchObject({
      version: 2,
      lineage: { hyperParameters: { epochs: 2 } },
    });

    // A row the database refuses (no such project) leaves no file behind.
    const orphan = await store.uploadFile();
    await writeFile(orphan, 'orphan');
    await expect(
      store.create('prj_none', version('lost', 'orphan'), { file: orphan, move: false }),
    ).rejects.toThrow();
    await expect(readdir(path.join(dataDir, 'adapters', 'prj_none', 'lost'))).resolves.toEqual([]);

    expect((await store.remove('prj_ad', 'race', 2)).map((v) => v.version)).toEqual([2]);
    expect((await store.remove('prj_ad', 'race')).map((v) => v.version).sort()).toEqual([1, 3, 4]);
    expect(await store.list('prj_ad')).toEqual([]);
    expect(await readdir(path.join(dataDir, 'adapters', 'prj_ad'))).toEqual([]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('adapter store', () => {
  it('PGlite: concurrent versions, no file without a row, removal', { timeout: 120_000 }, async () => {
    const db = await createTestDatabase();
    try {
      await exercise(db);
    } finally {
      await db.close();
    }
  });

  const postgres = testPostgresUrl ? it : it.skip;
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  postgres('PostgreSQL: the same, on concurrent connections', { timeout: 120_000 }, async () => {
    const server = await createTestPostgresDatabase();
    cleanups.push(server.drop);
    await migrate(server.db);
    await exercise(server.db);
  });
});
