import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import { startWatsonxTestKeel, type WatsonxTestKeel, watsonxFailure } from '../../../testing/watsonx-sdk.js';

let keel: TestKeel;
let wx: WatsonxTestKeel;
let watsonx: WatsonXAI;
let viewer: WatsonXAI;
let projectId: string;

const sdk = (key: string) => wx.sdk(key);

beforeAll(async () => {
  wx = await startWatsonxTestKeel({ providers: [createEchoProvider()] });
  ({ keel, projectId } = wx);
  watsonx = sdk(keel.adminKey);
  viewer = await wx.sdkAs('viewer');
});
afterAll(() => wx?.close());

describe('watsonx /ml/v4/models through the official SDK', () => {
  it('creates, lists, reads, patches and deletes a model as a governed asset', async () => {
    const created = await watsonx.createModel({
      name: 'credit scorer',
      type: 'custom_foundation_model_1.0',
      description: 'Scores credit applications',
      tags: ['credit'],
      custom: { endpoint_url: 'https://models.example.com/score', owner: 'risk team' },
    } as never);
    expect(created.status).toBe(201);
    const model = created.result as unknown as {
      metadata: Record<string, unknown>;
      entity: Record<string, unknown>;
    };
    const id = model.metadata.id as string;
    expect(model.metadata).toMatchObject({
      name: 'credit scorer',
      owner: 'risk team',
      tags: ['credit'],
      project_id: projectId,
    });
    expect(model.entity).toMatchObject({
      type: 'custom_foundation_model_1.0',
      keel: { kind: 'external_model', endpoint_url: 'https://models.example.com/score', stage: 'idea' },
    });

    // It is an external model asset in governance's inventory, under the watsonx use case.
    const asset = await keel.services.governance.inventory.asset(projectId, id);
    expect(asset).toMatchObject({ kind: 'external_model', name: 'credit scorer' });
    expect((asset.metadata.external as { documentation?: string }).documentation).toBe(
      'Scores credit applications',
    );

    const second = await watsonx.createModel({
      name: 'granite local',
      type: 'custom_foundation_model_1.0',
      foundationModel: { model_id: 'echo:reverse' },
    } as never);
    expect(
      (second.result as unknown as { entity: { keel: { kind: string; ref: string } } }).entity.keel,
    ).toMatchObject({
      kind: 'model',
      ref: 'echo:reverse',
    });

    const listed = await viewer.listModels({ limit: 1 });
    const page = listed.result as {
      resources: { metadata: { id: string } }[];
      total_count: number;
      next?: unknown;
    };
    expect(page.total_count).toBe(2);
    expect(page.resources).toHaveLength(1);
    expect(page.next).toBeDefined();
    expect(
      ((await viewer.listModels({ tagValue: 'credit' })).result as typeof page).resources.map(
        (r) => r.metadata.id,
      ),
    ).toEqual([id]);

    const read = await viewer.getModel({ modelId: id });
    expect((read.result as unknown as typeof model).metadata.name).toBe('credit scorer');

    const updated = await watsonx.updateModel({
      modelId: id,
      jsonPatch: [
        { op: 'replace', path: '/name', value: 'credit scorer v2' },
        { op: 'add', path: '/description', value: 'Now with income checks' },
      ],
    });
    expect((updated.result as unknown as typeof model).metadata).toMatchObject({
      name: 'credit scorer v2',
      description: 'Now with income checks',
    });
    const history = await keel.services.governance.inventory.historyOf(projectId, id);
    expect(history.map((entry) => entry.event)).toEqual(['create', 'change']);

    const readOnly = await watsonxFailure(
      watsonx.updateModel({ modelId: id, jsonPatch: [{ op: 'replace', path: '/type', value: 'x' }] }),
    );
    expect(readOnly.status).toBe(400);

    const denied = await watsonxFailure(viewer.deleteModel({ modelId: id }));
    expect(denied.status).toBe(403);
    const deleted = await watsonx.deleteModel({ modelId: id });
    expect(deleted.status).toBe(204);
    const gone = await watsonxFailure(watsonx.getModel({ modelId: id }));
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0]!.code).toBe('not_found');
    expect((await keel.services.governance.inventory.asset(projectId, id)).stage).toBe('retire');

    await keel.services.audit.flush();
    const audited = await keel.services.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'watsonx.model.%' ORDER BY seq",
    );
    expect(audited.rows.map((row) => row.action)).toEqual([
      'watsonx.model.create',
      'watsonx.model.create',
      'watsonx.model.update',
      'watsonx.model.delete',
    ]);
  });

  it('answers a create without a name, or with a bad endpoint, with a coded 400', async () => {
    const bad = await watsonxFailure(
      watsonx.createModel({ name: 'x', type: 't', custom: { endpoint_url: 'ftp://nowhere' } } as never),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.status_code).toBe(400);
    const noProject = await keel.call('/ml/v4/models?version=2024-05-31');
    expect(noProject.status).toBe(400);
    expect((await noProject.json()).errors[0].code).toBe('project_required');
  });
});
