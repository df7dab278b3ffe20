/**
 * The head store on PGlite and, when KEEL_TEST_DATABASE_URL is set, on PostgreSQL (real concurrent
 * connections): saves at once get consecutive versions, a job saves one version however often it
 * runs, text changed in the database is refused, and heads an earlier release kept as files are
 * imported once.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { charNgramSpec } from '../core/text/char-ngram-features.js';
import type { DatabaseV1 } from '../spec/database.js';
import { migrate } from '../storage/core/migrator.js';
import { createTestDatabase, createTestPostgresDatabase, testPostgresUrl } from '../testing/database.js';
import type { NewHeadVersion } from './head-file.js';
import { classifyTexts } from './head-model.js';
import { HeadStore } from './head-store.js';
import { classifyWithHead, trainLogisticHead } from './logistic-head.js';
import { trainMlpHead } from './mlp-head.js';

const examples = Array.from({ length: 24 }, (_, i) =>
  i % 2 === 0 ? { text: `great movie ${i}`, label: 'pos' } : { text: `awful film ${i}`, label: 'neg' },
);

async function addProjects(db: DatabaseV1, ...ids: string[]): Promise<void> {
  await db.query("INSERT INTO organizations (id, name) VALUES ('org_hd', 'hd') ON CONFLICT DO NOTHING");
  for (const id of ids)
    await db.query(
      "INSERT INTO projects (id, organization_id, name) VALUES ($1, 'org_hd', $1) ON CONFLICT DO NOTHING",
      [id],
    );
}

type Trained = Awaited<ReturnType<typeof trainLogisticHead>>;
function versionOf(name: string, result: Trained, jobId: string | null = null): NewHeadVersion {
  return {
    name,
    kind: result.model.kind,
    labels: result.model.labels,
    features: result.model.features,
    hyperParameters: result.hyperParameters,
    dataset: {
      sha256: 'x',
      count: 24,
      trainCount: result.trainCount,
      validationCount: result.validationCount,
      source: null,
    },
    metrics: result.validation,
    curve: result.curve,
    bestEpoch: result.bestEpoch,
    baseEncoder: 'char-ngram 1-3 x 2^10',
    temperature: 1,
    calibration: result.model.calibration,
    operatingPoint: null,
    jobId,
  };
}

async function exercise(db: DatabaseV1): Promise<void> {
  await addProjects(db, 'prj_h1', 'prj_h2', 'prj_h3');
  const store = new HeadStore(db);
  const result = await trainLogisticHead(examples, charNgramSpec({ dimensions: 1024 }), { seed: 1 });
  const saved = await Promise.all(
    [1, 2, 3].map(() => store.save('prj_h1', versionOf('sentiment', result), result.model)),
  );
  expect(saved.map((v) => v.version).sort()).toEqual([1, 2, 3]);
  expect((await store.list('prj_h1')).map((h) => [h.name, h.version])).toEqual([['sentiment', 3]]);
  expect((await store.versions('prj_h1', 'sentiment')).map((v) => v.version)).toEqual([1, 2, 3]);
  // Another store (another replica) reads the same heads.
  const loaded = await new HeadStore(db).load('prj_h1', 'sentiment', 1);
  if (loaded.model.kind !== 'logistic') throw new Error('expected a logistic head');
  expect(Array.from(loaded.model.weights)).toEqual(Array.from(result.model.weights));
  expect(classifyWithHead(loaded.model, 'awful awful')).toEqual(
    classifyWithHead(result.model, 'awful awful'),
  );
  await expect(store.load('prj_h1', 'missing')).rejects.toMatchObject({ code: 'not_found' });
  await expect(store.list('prj_h2')).resolves.toEqual([]);

  // One version per job, however often the job saves.
  const first = await store.save('prj_h2', versionOf('jobbed', result, 'job_1'), result.model);
  const again = await store.save('prj_h2', versionOf('jobbed', result, 'job_1'), result.model);
  expect(again).toEqual(first);
  expect(await store.byJob('prj_h2', 'job_1')).toEqual(first);
  expect(await store.byJob('prj_h2', 'job_2')).toBeUndefined();
  expect(await store.versions('prj_h2', 'jobbed')).toHaveLength(1);
  const annotated = await store.annotate('prj_h2', 'jobbed', first.version, { governanceAssetId: 'gas_1' });
  expect(annotated).toMatchObject({ version: first.version, governanceAssetId: 'gas_1' });
  expect((await store.list('prj_h2'))[0]).toMatchObject({ governanceAssetId: 'gas_1' });

  // Text changed in the database is refused, even when the version was loaded before.
  const mlp = await trainMlpHead(examples, charNgramSpec({ dimensions: 1024 }), { seed: 2, hiddenUnits: 8 });
  const info = await store.save('prj_h3', { ...versionOf('mlp', mlp as unknown as Trained) }, mlp.model);
  const mlpLoaded = await store.load('prj_h3', 'mlp');
  expect(await classifyTexts(mlpLoaded.model, ['awful film'])).toEqual(
    await classifyTexts(mlp.model, ['awful film']),
  );
  await db.query(
    `UPDATE tuning_heads SET content = replace(content, '"labels":["neg","pos"]', '"labels":["pos","neg"]')
      WHERE project_id = 'prj_h3'`,
  );
  await expect(store.load('prj_h3', 'mlp')).rejects.toMatchObject({ code: 'checksum_mismatch' });
  await store.remove('prj_h3', 'mlp', info.version);
  await expect(store.list('prj_h3')).resolves.toEqual([]);
  await expect(store.save('prj_none', versionOf('orphan', result), result.model)).rejects.toThrow();
}

describe('head store', () => {
  it('PGlite: versions, one per job, changed text refused', { timeout: 120_000 }, async () => {
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

  it('imports the heads an earlier release kept as files, once', { timeout: 120_000 }, async () => {
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'keel-heads-'));
    try {
      // Files as the earlier release wrote them: an index per project and a file per version.
      await addProjects(source, 'prj_old');
      const result = await trainLogisticHead(examples, charNgramSpec({ dimensions: 1024 }), { seed: 3 });
      const writer = new HeadStore(source);
      for (let i = 0; i < 2; i++)
        await writer.save('prj_old', versionOf('legacy', result, `job_${i}`), result.model);
      await writer.save('prj_old', versionOf('tampered', result), result.model);
      const { rows } = await source.query<{ name: string; version: number; content: string }>(
        'SELECT name, version, content FROM tuning_heads ORDER BY name, version',
      );
      const index = { heads: {} as Record<string, unknown[]> };
      for (const name of ['legacy', 'tampered']) index.heads[name] = await writer.versions('prj_old', name);
      for (const project of ['prj_old', 'prj_gone']) {
        for (const row of rows) {
          const dir = path.join(dataDir, 'heads', project, row.name);
          await mkdir(dir, { recursive: true });
          const text = row.name === 'tampered' ? row.content.replace('"neg"', '"NEG"') : row.content;
          await writeFile(path.join(dir, `v${row.version}.json`), text);
        }
        await writeFile(path.join(dataDir, 'heads', project, 'index.json'), JSON.stringify(index));
      }

      await addProjects(target, 'prj_old');
      const store = new HeadStore(target, { legacyDir: path.join(dataDir, 'heads') });
      expect((await store.list('prj_old')).map((h) => [h.name, h.version])).toEqual([['legacy', 2]]);
      const loaded = await store.load('prj_old', 'legacy', 1);
      expect(classifyWithHead(loaded.model as never, 'great great')).toEqual(
        classifyWithHead(result.model, 'great great'),
      );
      expect(await store.byJob('prj_old', 'job_1')).toMatchObject({ name: 'legacy', version: 2 });
      expect((await readdir(dataDir)).sort()).toEqual(['heads.imported']);
      // A second store finds nothing more to import; the versions are there once.
      await expect(
        new HeadStore(target, { legacyDir: path.join(dataDir, 'heads') }).versions('prj_old', 'legacy'),
      ).resolves.toHaveLength(2);
    } finally {
      await source.close();
      await target.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
