import { describe, expect, it } from 'vitest';
import { KeelError } from '../../core/errors.js';
import type { RunRow } from '../../evals/index.js';
import { evaluationRunsFrom } from './eval-runs-adapter.js';
import { type AssetRef, GateCache, type GateResult, parseAssetRef } from './gate.js';

const answer = (allowed: boolean): GateResult => ({
  tracked: true,
  allowed,
  asset_id: 'gas_1',
  use_case_id: 'guc_1',
  stage: allowed ? 'deploy' : 'validate',
  missing: allowed ? [] : [{ code: 'approval_missing', message: 'no approval' }],
});

describe('the gate cache', () => {
  it('answers hits synchronously and reads again after an invalidation of the project', async () => {
    let reads = 0;
    let allowed = true;
    const cache = new GateCache(async () => {
      reads++;
      return answer(allowed);
    });
    const ref: AssetRef = { kind: 'prompt_template', ref: 'memo', version: 2 };
    expect((await cache.check('p1', ref)).allowed).toBe(true);
    const hit = cache.check('p1', ref);
    expect(hit).not.toBeInstanceOf(Promise);
    expect(reads).toBe(1);
    allowed = false;
    cache.invalidate('p2');
    expect((await cache.check('p1', ref)).allowed).toBe(true);
    cache.invalidate('p1');
    expect((await cache.check('p1', ref)).allowed).toBe(false);
    expect(reads).toBe(2);
  });

  it('does not keep an answer read while an invalidation happened', async () => {
    let release!: () => void;
    let reads = 0;
    const cache = new GateCache(async () => {
      reads++;
      if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
      return answer(reads > 1);
    });
    const ref: AssetRef = { kind: 'model', ref: 'granite' };
    const pending = cache.check('p1', ref);
    cache.invalidate('p1');
    release();
    expect((await pending).allowed).toBe(false);
    expect((await cache.check('p1', ref)).allowed).toBe(true);
  });

  it('parses kind:ref@version', () => {
    expect(parseAssetRef('prompt_template:memo@3')).toEqual({
      kind: 'prompt_template',
      ref: 'memo',
      version: 3,
    });
    expect(parseAssetRef('rag_collection:col_1')).toEqual({ kind: 'rag_collection', ref: 'col_1' });
    expect(parseAssetRef('memo')).toEqual({ kind: 'prompt_template', ref: 'memo' });
  });
});

describe('the evaluation runs port over the evals module', () => {
  it('reads status and metric scores; another project’s run is none', async () => {
    const port = evaluationRunsFrom({
      async get(projectId, id) {
        if (projectId !== 'p1') throw new KeelError('not_found', `No run ${id}.`);
        return {
          id,
          status: 'succeeded',
          target: { kind: 'model', model: 'echo:reverse' },
          dataset_id: 'ds_1',
          dataset_version: 2,
          passed: true,
          finished_at: new Date('2026-01-02T03:04:05Z'),
          aggregates: {
            metrics: { exact_match: { metric: 'exact_match', score: 0.9 } },
            thresholds: [{ metric: 'exact_match', min: 0.8, value: 0.9, passed: true }],
          },
        } as unknown as RunRow;
      },
    });
    // Without a dataset reader the dataset is not read (null).
    expect(await port.getRun('p1', 'run_1')).toEqual({
      id: 'run_1',
      status: 'succeeded',
      metrics: { exact_match: 0.9 },
      thresholds: [{ metric: 'exact_match', min: 0.8, value: 0.9, passed: true }],
      passed: true,
      dataset: null,
      target: { kind: 'model', ref: 'echo:reverse' },
      finishedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(port.getDataset).toBeUndefined();
    expect(await port.getRun('p2', 'run_1')).toBeNull();
  });
});
