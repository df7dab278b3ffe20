import { createHash } from 'node:crypto';
import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import {
  startWatsonxTestKeel,
  type WatsonxTestKeel,
  watsonxFailure,
  watsonxSdk,
} from '../../../testing/watsonx-sdk.js';

/** watsonx trainings and fine-tunings through the official SDK, answered by Keel's training-spec export. */
let wx: WatsonxTestKeel;
let keel: TestKeel;
let watsonx: WatsonXAI;
let projectId: string;

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const container = (path: string) => ({ type: 'container', location: { path } });

const good = Array.from({ length: 12 }, (_, i) => ({
  input: `Message: ticket ${i} says "${i % 2 ? 'cannot log in' : 'where is the price list'}"`,
  output: `Class name: ${i % 2 ? 'Problem' : 'Question'}`,
}));
const trainFile = [
  ...good.slice(0, 6).map((r) => JSON.stringify(r)),
  '{"input": "broken',
  '{"input": "no output here"}',
  ...good.slice(6).map((r) => JSON.stringify(r)),
].join('\n');
const testFile = `${JSON.stringify({ input: 'Message: refund?', output: 'Class name: Question' })}\n`;

async function upload(name: string, data: string | Buffer): Promise<void> {
  const put = await keel.call(`/api/v1/files/${encodeURIComponent(name)}?project_id=${projectId}`, {
    method: 'PUT',
    body: Buffer.from(data),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(put.status).toBe(201);
}

async function download(path: string): Promise<Buffer> {
  const response = await keel.call(`/api/v1/files/${encodeURIComponent(path)}?project_id=${projectId}`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

interface Resource {
  metadata?: { id: string; name?: string; project_id?: string };
  entity?: {
    status: { state: string; message?: { text: string }; failure?: { errors: { code: string }[] } };
    results_reference: { type: string; location: Record<string, string> };
    keel: {
      job_id: string;
      files?: { name: string; path: string; sha256: string; download: string }[];
      skipped?: { at: string; code: string }[];
      skipped_count?: number;
      manifest?: Record<string, unknown> & {
        dataset: Record<string, unknown>;
        records: Record<string, number>;
      };
    };
    custom?: Record<string, unknown>;
  };
}

async function settled(read: () => Promise<{ result: unknown }>): Promise<Resource> {
  for (let i = 0; i < 800; i++) {
    const resource = (await read()).result as Resource;
    if (['completed', 'failed', 'canceled'].includes(resource.entity!.status.state)) return resource;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the export did not finish');
}

beforeAll(async () => {
  wx = await startWatsonxTestKeel({ providers: [createEchoProvider()] });
  ({ keel, projectId } = wx);
  watsonx = wx.sdk(keel.adminKey, { withProject: false });
  await upload('tuning/train.jsonl', trainFile);
  await upload('tuning/test.jsonl', testFile);
  const rows = [
    ...Array.from({ length: 8 }, (_, i) => ({
      text: `good day ${i}`,
      label: i % 2 ? 'pos' : 'neg',
      split: 'train',
    })),
    { text: 'fine evening', label: 'pos', split: 'validation' },
    { text: 'rainy night', label: 'neg', split: 'validation' },
    { text: 'held out', label: 'pos', split: 'test' },
    { text: 'unlabelled', label: '', split: 'train' },
  ];
  const created = await Promise.all([
    keel.call('/api/v1/datasets', {
      json: { name: 'moods', rows, mapping: { input: ['text'], label: 'label', split: 'split' } },
    }),
    keel.call('/api/v1/datasets', {
      json: { name: 'questions-only', rows: [{ q: 'a?' }, { q: 'b?' }], mapping: { input: ['q'] } },
    }),
  ]);
  expect(created.map((r) => r.ok)).toEqual([true, true]);
});
afterAll(() => wx?.close());

describe('watsonx fine-tunings and trainings as training-spec exports', () => {
  it('createFineTuning (LoRA) exports watsonx JSONL, an axolotl config and a manifest; get, list, delete', async () => {
    const created = await watsonx.createFineTuning({
      projectId,
      name: 'support classifier',
      trainingDataReferences: [container('tuning/train.jsonl')],
      testDataReferences: [container('tuning/test.jsonl')],
      resultsReference: container('ft-results'),
      custom: { ticket: 'ML-7' },
      parameters: {
        base_model: { model_id: 'ibm/granite-3-1-8b-base' },
        num_epochs: 2,
        learning_rate: 1e-4,
        batch_size: 4,
        accumulate_steps: 2,
        max_seq_length: 512,
        peft_parameters: {
          type: 'lora',
          rank: 16,
          lora_alpha: 32,
          lora_dropout: 0.1,
          target_modules: ['all-linear'],
        },
        seed: 5,
      } as never,
    });
    expect(created.status).toBe(201);
    const id = created.result.metadata!.id;
    expect(created.result.metadata).toMatchObject({ name: 'support classifier', project_id: projectId });
    expect(['queued', 'running', 'completed']).toContain(created.result.entity!.status.state);

    const done = await settled(() => watsonx.getFineTuning({ id, projectId }));
    expect(done.entity!.status.state).toBe('completed');
    expect(done.entity!.status.message!.text).toContain('trains no model itself');
    expect(done.entity!.custom).toEqual({ ticket: 'ML-7' });
    const location = done.entity!.results_reference.location;
    expect(location.path).toBe(`ft-results/${id}`);
    expect(location.manifest_path).toBe(`ft-results/${id}/manifest.json`);

    // The bad lines are reported with their line numbers and skipped.
    expect(done.entity!.keel.skipped_count).toBe(2);
    expect(done.entity!.keel.skipped!.map((s) => [s.at, s.code])).toEqual([
      ['line 7', 'invalid_json'],
      ['line 8', 'missing_output'],
    ]);

    // The data, in watsonx's format: every good record for training, the test file for validation.
    const train = (await download(location.training_data_path!)).toString('utf8');
    expect(
      train
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(good);
    expect((await download(location.validation_data_path!)).toString('utf8')).toBe(testFile);

    // The trainer config carries the hyper-parameters asked for.
    const axolotl = parse((await download(location.trainer_config_path!)).toString('utf8'));
    expect(axolotl).toMatchObject({
      base_model: 'ibm/granite-3-1-8b-base',
      adapter: 'lora',
      lora_r: 16,
      lora_alpha: 32,
      lora_dropout: 0.1,
      lora_target_linear: true,
      num_epochs: 2,
      learning_rate: 1e-4,
      micro_batch_size: 4,
      gradient_accumulation_steps: 2,
      sequence_len: 512,
      seed: 5,
    });

    // The manifest: lineage and a hash of every file, which match the bytes written.
    const manifest = JSON.parse((await download(location.manifest_path!)).toString('utf8'));
    expect(manifest).toMatchObject({
      base_model: 'ibm/granite-3-1-8b-base',
      method: 'lora',
      seed: 5,
      dataset: { source: 'file', file: 'tuning/train.jsonl', sha256: sha(trainFile) },
      records: { train: 12, validation: 1, skipped: 2, held_out: 0 },
      split: { method: 'validation_file' },
      hyper_parameters: { epochs: 2, lora_rank: 16, target_modules: 'all-linear' },
    });
    for (const file of manifest.files as { path: string; sha256: string }[]) {
      expect(sha(await download(file.path))).toBe(file.sha256);
    }

    const listed = await watsonx.listFineTunings({ projectId });
    expect(listed.result.resources!.map((r) => r.metadata!.id)).toContain(id);
    expect(listed.result.first.href).toContain('/ml/v1/fine_tunings');
    const trainings = await watsonx.listTrainings({ projectId });
    expect(trainings.result.resources!.map((r) => r.metadata!.id)).not.toContain(id);

    const deleted = await watsonx.deleteFineTuning({ id, projectId, hardDelete: true });
    expect(deleted.status).toBe(204);
    expect((await watsonxFailure(watsonx.getFineTuning({ id, projectId }))).status).toBe(404);
    // Every file under the export's folder is removed with it.
    const left = (await (await keel.call(`/api/v1/files?project_id=${projectId}`)).json()) as {
      data: { name: string }[];
    };
    expect(left.data.filter((f) => f.name.startsWith(`${location.path}/`))).toEqual([]);
    expect(left.data.map((f) => f.name)).toContain('tuning/train.jsonl');
  });

  it('createTraining (prompt tuning) exports an evaluation dataset version with its splits and content hash', async () => {
    const created = await watsonx.createTraining({
      projectId,
      name: 'moods-pt',
      trainingDataReferences: [{ type: 'container', location: { dataset: 'moods' } }],
      resultsReference: container('pt-results'),
      promptTuning: {
        base_model: { model_id: 'google/flan-t5-xl' },
        task_id: 'classification',
        num_epochs: 6,
        learning_rate: 0.2,
        init_method: 'text',
        init_text: 'Classify the mood.',
        max_input_tokens: 200,
        max_output_tokens: 20,
        num_virtual_tokens: 40,
      } as never,
    });
    expect(created.status).toBe(201);
    const id = created.result.metadata!.id;
    const done = await settled(() => watsonx.getTraining({ trainingId: id, projectId }));
    expect(done.entity!.status.state).toBe('completed');
    const manifest = done.entity!.keel.manifest!;
    const versions = (await (await keel.call('/api/v1/datasets/moods/versions')).json()) as {
      versions: { version: number; content_hash: string }[];
    };
    expect(manifest).toMatchObject({
      method: 'prompt_tuning',
      base_model: 'google/flan-t5-xl',
      dataset: { source: 'evaluation_dataset', name: 'moods', version: 1 },
      records: { train: 8, validation: 2, skipped: 1, held_out: 1 },
      split: { method: 'dataset_splits' },
      hyper_parameters: { epochs: 6, learning_rate: 0.2, max_sequence_length: 220, num_virtual_tokens: 40 },
      trainer: { name: 'peft' },
    });
    expect(versions.versions.map((v) => v.version)).toEqual([1]);
    expect(manifest.dataset.content_hash).toBe(versions.versions[0]!.content_hash);
    const adapter = JSON.parse(
      (await download(done.entity!.results_reference.location.trainer_config_path!)).toString('utf8'),
    );
    expect(adapter).toMatchObject({
      peft_type: 'PROMPT_TUNING',
      num_virtual_tokens: 40,
      prompt_tuning_init: 'TEXT',
      prompt_tuning_init_text: 'Classify the mood.',
    });
    const listed = await watsonx.listTrainings({ projectId });
    expect(listed.result.resources!.map((r) => r.metadata!.id)).toContain(id);
  });

  it('scopes every resource to its project and role', async () => {
    const created = await watsonx.createFineTuning({
      projectId,
      name: 'scoped',
      trainingDataReferences: [container('tuning/train.jsonl')],
      resultsReference: container('scoped'),
      parameters: { base_model: { model_id: 'b' } },
    });
    const id = created.result.metadata!.id;
    const other = (await (await keel.call('/api/v1/projects', { json: { name: 'elsewhere' } })).json()) as {
      id: string;
    };
    const outsiderKey = await keel.services.keys.create({
      organizationId: keel.services.installation.organizationId,
      projectId: other.id,
      name: 'outsider',
      role: 'admin',
    });
    const outsider = watsonxSdk(wx.server.url, outsiderKey.secret);
    expect((await watsonxFailure(outsider.getFineTuning({ id, projectId: other.id }))).status).toBe(404);
    // A key of another project does not learn that this project exists.
    expect((await watsonxFailure(outsider.getFineTuning({ id, projectId }))).status).toBe(404);
    const listed = await outsider.listFineTunings({ projectId: other.id });
    expect(listed.result.resources).toEqual([]);
    expect((await watsonxFailure(outsider.deleteFineTuning({ id, projectId: other.id }))).status).toBe(404);

    const viewer = await wx.sdkAs('viewer');
    expect((await viewer.getFineTuning({ id, projectId })).status).toBe(200);
    const refused = await watsonxFailure(
      viewer.createFineTuning({
        projectId,
        name: 'nope',
        trainingDataReferences: [container('tuning/train.jsonl')],
        resultsReference: container('x'),
        parameters: { base_model: { model_id: 'b' } },
      }),
    );
    expect(refused.status).toBe(403);
  });

  it('answers bad input with coded watsonx errors, and what Keel cannot do with a 501', async () => {
    const fineTune = (over: Record<string, unknown>) =>
      watsonxFailure(
        watsonx.createFineTuning({
          projectId,
          name: 'bad',
          trainingDataReferences: [container('tuning/train.jsonl')],
          resultsReference: container('bad'),
          parameters: { base_model: { model_id: 'b' } },
          ...over,
        } as never),
      );
    const codes = (failure: { body: { errors: { code: string }[] } }) =>
      failure.body.errors.map((e) => e.code);

    const unknownDataset = await fineTune({
      trainingDataReferences: [{ type: 'container', location: { dataset: 'nowhere' } }],
    });
    expect(unknownDataset.status).toBe(404);
    expect(codes(unknownDataset)).toContain('not_found');

    const unknownFile = await fineTune({ trainingDataReferences: [container('tuning/missing.jsonl')] });
    expect(unknownFile.status).toBe(404);

    const unlabelled = await fineTune({
      trainingDataReferences: [{ type: 'container', location: { dataset: 'questions-only' } }],
    });
    expect(unlabelled.status).toBe(422);
    expect(unlabelled.body.errors[0]!.message).toContain('no reference outputs');

    await upload('tuning/empty.jsonl', '\n\n');
    expect((await fineTune({ trainingDataReferences: [container('tuning/empty.jsonl')] })).status).toBe(422);

    const outOfRange = await fineTune({
      parameters: {
        base_model: { model_id: 'b' },
        num_epochs: 0,
        peft_parameters: { type: 'lora', rank: 100_000 },
      },
    });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.status_code).toBe(400);

    expect((await fineTune({ parameters: { num_epochs: 2 } })).status).toBe(400);

    const ilab = await fineTune({ type: 'ilab' });
    expect(ilab.status).toBe(501);
    expect(ilab.body.errors[0]!.message).toContain('Nearest in Keel');

    const noKind = await watsonxFailure(
      watsonx.createTraining({ projectId, name: 't', resultsReference: container('r') }),
    );
    expect(noKind.status).toBe(400);
    expect(noKind.body.errors.map((e) => e.code)).toContain('invalid_request');
    const pipeline = await keel.call('/ml/v4/trainings?version=2024-05-31', {
      method: 'POST',
      json: { name: 't', results_reference: container('r'), pipeline: { id: 'p1' }, project_id: projectId },
    });
    expect(pipeline.status).toBe(501);
    const pipelineBody = (await pipeline.json()) as { errors: { message: string }[] };
    expect(pipelineBody.errors[0]!.message).toContain('POST /api/v1/tuning/jobs');

    const noProject = await keel.call('/ml/v1/fine_tunings?version=2024-05-31', {
      method: 'POST',
      json: {
        name: 'x',
        training_data_references: [container('tuning/train.jsonl')],
        results_reference: container('x'),
      },
    });
    expect(noProject.status).toBe(400);
    expect(await noProject.json()).toMatchObject({ errors: [{ code: 'project_required' }] });
  });
});

describe('POST /api/v1/tuning/jobs type export', () => {
  it('runs a full fine-tuning export as a job with progress, listed with the tuning jobs', async () => {
    const started = await keel.call('/api/v1/tuning/jobs', {
      json: {
        type: 'export',
        name: 'support-full',
        base_model: 'org/base-1b',
        method: 'full',
        file: 'tuning/train.jsonl',
        hyper_parameters: { epochs: 1, validation_fraction: 0.25, seed: 9 },
      },
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string; kind: string };
    expect(job.kind).toBe('tuning.export');
    let state: {
      status: string;
      progress: { done: number; total: number };
      result?: Record<string, unknown>;
    };
    for (;;) {
      state = (await (await keel.call(`/api/v1/jobs/${job.id}`)).json()) as typeof state;
      if (!['queued', 'running'].includes(state.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(state.status).toBe('succeeded');
    expect(state.progress).toMatchObject({ done: 4, total: 4 });
    const result = state.result as {
      manifest: { records: Record<string, number>; split: Record<string, unknown> };
    };
    expect(result.manifest.records).toEqual({ train: 9, validation: 3, skipped: 2, held_out: 0 });
    expect(result.manifest.split).toEqual({ method: 'seeded_random', validation_fraction: 0.25, seed: 9 });

    const jobs = (await (await keel.call('/api/v1/tuning/jobs')).json()) as { jobs: { id: string }[] };
    expect(jobs.jobs.map((j) => j.id)).toContain(job.id);

    const bad = await keel.call('/api/v1/tuning/jobs', {
      json: {
        type: 'export',
        name: 'x',
        base_model: 'b',
        method: 'lora',
        file: 'tuning/train.jsonl',
        hyper_parameters: { lora_rank: 0 },
      },
    });
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: { issues: { code: string; path: string[] }[] } };
    expect(badBody.error.issues[0]).toMatchObject({
      code: 'too_small',
      path: ['hyper_parameters', 'lora_rank'],
    });
    const both = await keel.call('/api/v1/tuning/jobs', {
      json: { type: 'export', name: 'x', base_model: 'b', method: 'lora', file: 'a', dataset: 'moods' },
    });
    expect(both.status).toBe(400);
    expect(((await both.json()) as { error: { issues: { code: string }[] } }).error.issues[0]!.code).toBe(
      'source_required',
    );
  });
});
