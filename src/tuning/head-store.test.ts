import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charNgramSpec } from '../core/text/char-ngram-features.js';
import { classifyTexts } from './head-model.js';
import { HeadStore } from './head-store.js';
import { classifyWithHead, trainLogisticHead } from './logistic-head.js';
import { trainMlpHead } from './mlp-head.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keel-heads-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const examples = Array.from({ length: 24 }, (_, i) =>
  i % 2 === 0 ? { text: `great movie ${i}`, label: 'pos' } : { text: `awful film ${i}`, label: 'neg' },
);

describe('head store', () => {
  it('saves numbered versions and loads a head that classifies as before', async () => {
    const store = new HeadStore(dir);
    const result = await trainLogisticHead(examples, charNgramSpec({ dimensions: 1024 }), { seed: 1 });
    const info = {
      name: 'sentiment',
      kind: 'logistic' as const,
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
      jobId: null,
    };
    const [first, second] = await Promise.all([
      store.save('p1', info, result.model),
      store.save('p1', info, result.model),
    ]);
    expect([first?.version, second?.version]).toEqual([1, 2]);
    expect((await store.list('p1')).map((h) => [h.name, h.version])).toEqual([['sentiment', 2]]);
    expect(await store.versions('p1', 'sentiment')).toHaveLength(2);
    const loaded = await store.load('p1', 'sentiment', 1);
    if (loaded.model.kind !== 'logistic') throw new Error('expected a logistic head');
    expect(Array.from(loaded.model.weights)).toEqual(Array.from(result.model.weights));
    expect(classifyWithHead(loaded.model, 'awful awful')).toEqual(
      classifyWithHead(result.model, 'awful awful'),
    );
    expect((await readdir(path.join(dir, 'heads', 'p1', 'sentiment'))).sort()).toEqual([
      'v1.json',
      'v2.json',
    ]);
    await expect(store.load('p1', 'missing')).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.list('p2')).resolves.toEqual([]);
  });

  it('refuses a head file changed on disk, and removes a version cleanly', async () => {
    const store = new HeadStore(dir);
    const result = await trainMlpHead(examples, charNgramSpec({ dimensions: 1024 }), {
      seed: 2,
      hiddenUnits: 8,
    });
    const info = await store.save(
      'p3',
      {
        name: 'mlp',
        kind: 'mlp',
        labels: result.model.labels,
        features: result.model.features,
        baseEncoder: 'char-ngram 1-3 x 2^10',
        hyperParameters: result.hyperParameters,
        dataset: { sha256: 'x', count: 24, trainCount: 19, validationCount: 5, source: null },
        metrics: result.validation,
        curve: result.curve,
        bestEpoch: result.bestEpoch,
        temperature: 1,
        calibration: result.model.calibration,
        operatingPoint: null,
        jobId: null,
      },
      result.model,
    );
    const loaded = await store.load('p3', 'mlp');
    expect(await classifyTexts(loaded.model, ['awful film'])).toEqual(
      await classifyTexts(result.model, ['awful film']),
    );
    const file = path.join(dir, 'heads', 'p3', 'mlp', `v${info.version}.json`);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"labels":["neg","pos"]', '"labels":["pos","neg"]'));
    await expect(store.load('p3', 'mlp')).rejects.toMatchObject({ code: 'checksum_mismatch' });
    await store.remove('p3', 'mlp', info.version);
    await expect(store.list('p3')).resolves.toEqual([]);
    expect(await readdir(path.join(dir, 'heads', 'p3', 'mlp'))).toEqual([]);
  });
});
