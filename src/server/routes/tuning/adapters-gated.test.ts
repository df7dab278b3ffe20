/**
 * LoRA adapters as governed assets, on real llama.cpp (tiny model and tiny LoRA, threads: 1): an
 * adapter registered with a use case enters the inventory with its lineage and answers as
 * `llamacpp:<base>+<name>` only after approval (watsonx generation here); a deployment serves only a
 * registered, approved adapter; a refused governance entry leaves no half-registered adapter.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approveAsset,
  callJson,
  invokeDeployedPrompt,
  prepareGovernance,
} from '../../../testing/governed-approval.js';
import { apiError } from '../../../testing/sdk.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import { startTinyLlamaKeel, type TinyLlamaKeel } from '../../../testing/tiny-llamacpp-keel.js';
import { buildTinyLoraGguf } from '../../../testing/tiny-lora-gguf.js';

let tiny: TinyLlamaKeel;
let keel: TestKeel;
let validatorKey: string;

beforeAll(async () => {
  tiny = await startTinyLlamaKeel('keel-adapters-gated-');
  keel = tiny.keel;
  ({ validatorKey } = await prepareGovernance(keel));
});
afterAll(async () => {
  await tiny?.close();
});

const call = (path: string, init: RequestInit & { json?: unknown; key?: string } = {}) =>
  callJson(keel, path, init);

async function register(name: string, metadata: Record<string, unknown> = {}) {
  const form = new FormData();
  form.set('file', new File([buildTinyLoraGguf({ seed: 5, rank: 2, alpha: 4 }) as BlobPart], `${name}.gguf`));
  form.set('name', name);
  form.set('base_model', 'llamacpp:tiny');
  form.set('metadata', JSON.stringify(metadata));
  return call('/api/v1/adapters', { method: 'POST', body: form });
}

const generate = (model: string) =>
  call('/ml/v1/text/generation?version=2024-05-31', {
    json: {
      model_id: model,
      input: 'Say hello',
      project_id: keel.services.installation.defaultProjectId,
      parameters: { decoding_method: 'greedy', max_new_tokens: 6 },
    },
  });

describe('adapters behind the governance gate', () => {
  it('enters the inventory with its lineage and serves only once approved', {
    timeout: 240_000,
  }, async () => {
    const useCase = await call('/api/v1/use-cases', {
      method: 'POST',
      json: { name: 'support replies', approach: { name: 'lora' } },
    });
    const created = await register('support', {
      hyper_parameters: { learning_rate: 0.0001, epochs: 2, seed: 7 },
      dataset: { name: 'tickets', version: '3' },
      governance: { use_case_id: useCase.body.id },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const assetId = created.body.governance_asset_id as string;
    expect(assetId).toBeTruthy();
    const asset = await call(`/api/v1/assets/${assetId}`);
    expect(asset.body).toMatchObject({ kind: 'model', ref: 'llamacpp:tiny+support', version: 1 });
    expect(asset.body.metadata).toMatchObject({
      method: 'lora',
      base_model: 'tiny',
      base_sha256: created.body.base_sha256,
      adapter_sha256: created.body.sha256,
      alpha: 4,
      rank: 2,
      dataset: 'tickets',
      dataset_version: '3',
      'hyper_parameters.learning_rate': 0.0001,
      'hyper_parameters.seed': 7,
    });

    const refused = await generate('llamacpp:tiny+support');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('approval_missing');

    const approval = await approveAsset(keel, {
      assetId,
      useCaseId: useCase.body.id,
      validatorKey,
      evidence: { ref: 'support-v1-eval', metrics: { rougeL: 0.4 } },
    });
    expect(approval).toEqual({ statuses: [200, 200, 200], approved: true });

    const served = await generate('llamacpp:tiny+support');
    expect(served.status, JSON.stringify(served.body)).toBe(200);
    expect(served.body.results[0].generated_text.length).toBeGreaterThan(0);

    const invoked = await invokeDeployedPrompt(
      keel,
      'governed-replies',
      'llamacpp:tiny+support',
      'hi',
      'Reply: {{ticket}}',
    );
    expect(typeof invoked.output).toBe('string');
  });

  it('a deployment refuses an ungoverned adapter that plain calls may use', {
    timeout: 240_000,
  }, async () => {
    expect((await register('loose')).status).toBe(201);
    expect((await generate('llamacpp:tiny+loose')).status).toBe(200);
    const error = await apiError(
      invokeDeployedPrompt(keel, 'loose-replies', 'llamacpp:tiny+loose', 'hi', 'Reply: {{ticket}}'),
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe('asset_not_approved');
    expect(error.issues?.map((i) => i.code)).toEqual(['not_governed']);
  });

  it('a governance entry that fails leaves no adapter behind', async () => {
    const before = await readdir(path.join(keel.dataDir, 'adapters'), { recursive: true });
    const failed = await register('orphan', { governance: { use_case_id: 'no-such-use-case' } });
    expect(failed.status).toBe(404);
    expect((await call('/api/v1/adapters/orphan')).status).toBe(404);
    expect((await readdir(path.join(keel.dataDir, 'adapters'), { recursive: true })).sort()).toEqual(
      before.sort(),
    );
  });
});
