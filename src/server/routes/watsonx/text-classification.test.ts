import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import { startWatsonxTestKeel, type WatsonxTestKeel } from '../../../testing/watsonx-sdk.js';

let keel: TestKeel;
let wx: WatsonxTestKeel;
let watsonx: WatsonXAI;
let projectId: string;
/** What the scripted chat model was asked (its prompts), to check the label set it was given. */
const asked: string[] = [];

const ref = (fileName: string) => ({
  type: 'connection_asset',
  connection: { id: 'project-files' },
  location: { file_name: fileName },
});

const html = (body: string) => `<!doctype html><html><body>${body}</body></html>`;

async function upload(name: string, text: string): Promise<void> {
  const put = await keel.call(`/api/v1/files/${encodeURIComponent(name)}?project_id=${projectId}`, {
    method: 'PUT',
    body: Buffer.from(text, 'utf8'),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(put.status).toBe(201);
}

type Results = {
  status: string;
  document_classified?: boolean;
  document_type?: string;
  error?: { code: string };
  keel: { classifier: string; scores?: { document_type: string; score: number }[]; head?: unknown };
};

async function finished(id: string): Promise<Results> {
  for (let i = 0; i < 400; i++) {
    const { result } = await watsonx.getTextClassification({ id, projectId });
    const results = result.entity?.results as unknown as Results;
    if (results.status === 'completed' || results.status === 'failed') return results;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`classification ${id} did not finish`);
}

const taxonomy = {
  schemas_merge_strategy: 'replace',
  schemas: [
    {
      document_type: 'Incident report',
      document_description: 'An outage write-up: timeline, root cause, impact and remediation.',
    },
    {
      document_type: 'Meeting minutes',
      document_description: 'Notes of a meeting: attendees, agenda, decisions and action items.',
    },
  ],
};

beforeAll(async () => {
  const scripted = createEchoProvider({
    name: 'scripted',
    capabilities: { structuredOutput: 'native' },
    respond: (options) => {
      const messages = options.prompt.type === 'chat' ? options.prompt.messages : [];
      const user = messages.at(-1)?.content ?? '';
      asked.push(user);
      const enumerated = JSON.stringify(options.responseFormat);
      if (!enumerated.includes('Meeting minutes')) return '{"document_type": "none"}';
      return user.includes('Attendees') ? '{"document_type": "Meeting minutes"}' : 'not sure';
    },
  });
  wx = await startWatsonxTestKeel({ providers: [createEchoProvider(), scripted] });
  ({ keel, projectId } = wx);
  watsonx = wx.sdk(keel.adminKey, { withProject: false });
  await upload(
    'docs/outage.html',
    html(
      '<h1>Outage on 3 May</h1><p>Timeline: alerts at 09:12. Root cause: an expired certificate.</p>' +
        '<p>Impact: 40 minutes of errors. Remediation: the certificate was rotated.</p>',
    ),
  );
  await upload(
    'docs/minutes.html',
    html(
      '<h1>Weekly sync</h1><p>Attendees: Ana, Min-jun. Agenda: release.</p><p>Decisions: ship Friday.</p>',
    ),
  );
});
afterAll(() => wx?.close());

describe('watsonx text classification through the official SDK', () => {
  it('classifies a stored document into the taxonomy given, lists, reads and deletes it', async () => {
    const created = await watsonx.createTextClassification({
      projectId,
      documentReference: ref('docs/outage.html') as never,
      parameters: { semantic_config: taxonomy },
      custom: { ticket: 'OPS-1' },
    });
    expect(created.status).toBe(201);
    const id = created.result.metadata!.id;
    expect(created.result.entity?.custom).toEqual({ ticket: 'OPS-1' });
    const results = await finished(id);
    expect(results).toMatchObject({
      status: 'completed',
      document_classified: true,
      document_type: 'Incident report',
      keel: { classifier: 'keel:lexical-classifier' },
    });
    expect(results.keel.scores?.map((entry) => entry.document_type)).toEqual([
      'Incident report',
      'Meeting minutes',
    ]);

    const listed = await watsonx.listTextClassifications({ projectId });
    expect(listed.result.resources?.map((resource) => resource.metadata!.id)).toContain(id);
    expect(listed.result.first.href).toContain('/ml/v1/text/classifications');

    const deleted = await watsonx.deleteTextClassification({ id, projectId, hardDelete: true });
    expect(deleted.status).toBe(204);
    await expect(watsonx.getTextClassification({ id, projectId })).rejects.toMatchObject({ status: 404 });
  });

  it('answers only whether the document is classified in binary mode', async () => {
    const created = await watsonx.createTextClassification({
      projectId,
      documentReference: ref('docs/minutes.html') as never,
      parameters: { classification_mode: 'binary', semantic_config: taxonomy },
    });
    const results = await finished(created.result.metadata!.id);
    expect(results.document_classified).toBe(true);
    expect(results.document_type).toBeUndefined();
  });

  it('asks a chat model for one label of the set, constrained to the set', async () => {
    const minutes = await watsonx.createTextClassification({
      projectId,
      documentReference: ref('docs/minutes.html') as never,
      parameters: { semantic_config: taxonomy, model_id: 'scripted:reverse' } as never,
    });
    expect(await finished(minutes.result.metadata!.id)).toMatchObject({
      status: 'completed',
      document_classified: true,
      document_type: 'Meeting minutes',
      keel: { classifier: 'scripted:reverse' },
    });
    expect(asked.at(-1)).toContain('- Incident report: An outage write-up');
    expect(asked.at(-1)).toContain('Attendees: Ana');

    // An answer naming no label of the set leaves the document unclassified.
    const outage = await watsonx.createTextClassification({
      projectId,
      documentReference: ref('docs/outage.html') as never,
      parameters: { semantic_config: taxonomy, model_id: 'scripted:reverse' } as never,
    });
    expect(await finished(outage.result.metadata!.id)).toMatchObject({
      status: 'completed',
      document_classified: false,
    });
  });

  it('classifies with a trained head (tuning), into its labels or the user types that name them', async () => {
    const examples = [];
    for (let i = 0; i < 24; i++) {
      examples.push({
        text: `root cause ${i}: certificate expired, alerts fired, outage impact`,
        label: 'incident',
      });
      examples.push({
        text: `attendees ${i}: agenda, decisions and action items of the sync`,
        label: 'minutes',
      });
    }
    const started = await keel.call('/api/v1/tuning/jobs', {
      method: 'POST',
      json: {
        type: 'head',
        name: 'doc-kinds',
        examples,
        options: { seed: 3 },
        features: { dimensions: 4096 },
      },
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string };
    for (;;) {
      const state = (await (await keel.call(`/api/v1/jobs/${job.id}`)).json()) as { status: string };
      if (state.status === 'succeeded') break;
      expect(['queued', 'running']).toContain(state.status);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const byHead = await watsonx.createTextClassification({
      projectId,
      documentReference: ref('docs/minutes.html') as never,
      parameters: { model_id: 'head:doc-kinds' } as never,
    });
    const results = await finished(byHead.result.metadata!.id);
    expect(results).toMatchObject({
      status: 'completed',
      document_classified: true,
      document_type: 'minutes',
    });
    expect(results.keel).toMatchObject({
      classifier: 'head:doc-kinds',
      head: { name: 'doc-kinds', version: 1 },
    });

    // The user's types narrow the head's labels: a head preferring a label outside them classifies nothing.
    const narrowed = await watsonx.createTextClassification({
      projectId,
      documentReference: ref('docs/minutes.html') as never,
      parameters: {
        model_id: 'head:doc-kinds',
        semantic_config: { schemas: [{ document_type: 'Incident', document_description: 'an outage' }] },
      } as never,
    });
    expect(await finished(narrowed.result.metadata!.id)).toMatchObject({ document_classified: false });
    const named = await watsonx.createTextClassification({
      projectId,
      documentReference: ref('docs/outage.html') as never,
      parameters: {
        model_id: 'head:doc-kinds',
        semantic_config: { schemas: [{ document_type: 'Incident', document_description: 'an outage' }] },
      } as never,
    });
    expect(await finished(named.result.metadata!.id)).toMatchObject({ document_type: 'Incident' });
  });

  it('classifies with a governed head only once governance approved it', async () => {
    const useCase = await keel.call('/api/v1/use-cases', {
      method: 'POST',
      json: { name: 'document routing', approach: { name: 'head' } },
    });
    expect(useCase.status).toBe(201);
    const examples = Array.from({ length: 20 }, (_, i) => [
      { text: `outage ${i}: the service was down and customers could not log in`, label: 'incident' },
      { text: `attendees ${i}: agenda, decisions and action items of the sync`, label: 'minutes' },
    ]).flat();
    const started = await keel.call('/api/v1/tuning/jobs', {
      method: 'POST',
      json: {
        type: 'head',
        name: 'governed-kinds',
        examples,
        options: { seed: 3 },
        features: { dimensions: 1024 },
        governance: { use_case_id: ((await useCase.json()) as { id: string }).id },
      },
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string };
    for (;;) {
      const state = (await (await keel.call(`/api/v1/jobs/${job.id}`)).json()) as { status: string };
      if (state.status === 'succeeded') break;
      expect(['queued', 'running']).toContain(state.status);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const refused = await watsonx.createTextClassification({
      projectId,
      documentReference: ref('docs/minutes.html') as never,
      parameters: { model_id: 'head:governed-kinds' } as never,
    });
    expect(await finished(refused.result.metadata!.id)).toMatchObject({
      status: 'failed',
      error: { code: 'asset_not_approved' },
    });
  });

  it('answers bad requests with coded watsonx errors', async () => {
    const noProject = await keel.call('/ml/v1/text/classifications?version=2024-05-31', {
      method: 'POST',
      json: { document_reference: ref('docs/outage.html'), parameters: {} },
    });
    expect(noProject.status).toBe(400);
    expect(await noProject.json()).toMatchObject({ errors: [{ code: 'project_required' }] });

    await expect(
      watsonx.createTextClassification({
        projectId,
        documentReference: ref('docs/outage.html') as never,
        parameters: { model_id: 'head:never-trained' } as never,
      }),
    ).rejects.toMatchObject({ status: 404 });

    await expect(
      watsonx.createTextClassification({
        projectId,
        documentReference: ref('docs/outage.html') as never,
        parameters: { semantic_config: { schemas_merge_strategy: 'replace', schemas: [] } },
      }),
    ).rejects.toMatchObject({ status: 400 });

    // A missing document fails the job, as watsonx reads storage in the job.
    const missing = await watsonx.createTextClassification({
      projectId,
      documentReference: ref('docs/nowhere.pdf') as never,
      parameters: {},
    });
    expect(await finished(missing.result.metadata!.id)).toMatchObject({
      status: 'failed',
      error: { code: 'not_found' },
    });
  });
});
