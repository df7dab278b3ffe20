import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../api/governance-risk.js';
import type { TemplateBody } from '../../api/prompts.js';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { minimalRiskAnswers } from '../../testing/risk-answers.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { labelRequest } from './prompt-label.js';

/** The CLI side of the governance gates: `keel prompt label` and a production `keel deploy create`. */
let keel: TestKeel;
let server: ListeningServer;
let validatorKey: string;

const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: keel.adminKey }, args);

const body: TemplateBody = {
  mode: 'freeform',
  text: 'Route {{ticket}}',
  variables: [{ name: 'ticket', type: 'string' }],
  model_id: 'echo:reverse',
};

const minimal: Answers = minimalRiskAnswers('route support tickets');

async function api(path: string, init: RequestInit & { json?: unknown; key?: string } = {}) {
  const res = await keel.call(path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

let assetId: string;

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
  validatorKey = (await api('/api/v1/keys', { json: { name: 'validator', role: 'validator' } })).body.key;
  expect((await api('/api/v1/prompts', { json: { name: 'triage', template: body } })).status).toBe(201);
  await api('/api/v1/prompts/triage/versions', {
    json: { template: { ...body, text: 'Route this ticket: {{ticket}}' }, base_version: 1 },
  });
  // The feed reads the new version now, before the template is tracked (at version 1).
  await keel.services.audit.flush();
  await keel.services.governance.feed.poll();
  const useCase = await api('/api/v1/use-cases', {
    json: { name: 'ticket routing', approach: { name: 'prompted', thresholds: { accuracy: { min: 0.8 } } } },
  });
  const asset = await api('/api/v1/assets', {
    json: { use_case_id: useCase.body.id, kind: 'prompt_template', ref: 'triage', version: 1 },
  });
  assetId = asset.body.id;
  await api('/api/v1/assets', {
    json: {
      use_case_id: useCase.body.id,
      kind: 'evaluation_run',
      ref: 'triage-eval',
      results: { metrics: { accuracy: 0.92 } },
    },
  });
  await api('/api/v1/risk-assessments', { json: { use_case_id: useCase.body.id, answers: minimal } });
  await api('/api/v1/spaces', { json: { name: 'prod', stage: 'production' } });
});
afterAll(async () => {
  await server?.close(0);
  await keel?.close();
});

describe('keel prompt label', () => {
  it('sets and moves a label, and checks its arguments with the API schemas', async () => {
    const set = await keelCli('prompt', 'label', 'triage', 'staging', '1');
    expect(set).toMatchObject({ code: 0, out: 'triage: staging → version 1 (new label)\n' });
    const moved = await keelCli('--json', 'prompt', 'label', 'triage', 'staging', '2');
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.out)).toEqual({ label: 'staging', version: 2, previous_version: 1 });
    const stale = await keelCli('prompt', 'label', 'triage', 'staging', '1', '--expected', '1');
    expect(stale.code).not.toBe(0);
    expect((await api('/api/v1/prompts/triage@staging')).body.version.version).toBe(2);

    const badLabel = await keelCli('prompt', 'label', 'triage', 'latest', '1');
    expect(badLabel.code).toBe(2);
    expect(badLabel.err).toContain('error [invalid_request]');
    const badVersion = await keelCli('prompt', 'label', 'triage', 'staging', 'two');
    expect(badVersion.code).toBe(2);
    expect(() => labelRequest('staging', undefined, undefined)).toThrow(/bad arguments/);

    const removed = await keelCli('prompt', 'label', 'triage', 'staging', '--remove');
    expect(removed).toMatchObject({ code: 0, out: 'triage: removed staging (was version 2)\n' });
  });

  it('refuses to move production on a tracked, unapproved template, naming what is missing', async () => {
    const refused = await keelCli('prompt', 'label', 'triage', 'production', '1');
    expect(refused.code).toBe(5);
    expect(refused.err).toContain('error [gate_refused]');
    expect(refused.err).toContain(`asset ${assetId} (revision 1) has no valid approval`);
    const json = await keelCli('--json', 'prompt', 'label', 'triage', 'production', '1');
    expect(json.code).toBe(5);
    const error = JSON.parse(json.err).error;
    expect(error.code).toBe('gate_refused');
    expect(error.issues.map((issue: { code: string }) => issue.code)).toEqual(['approval_missing']);
    expect((await api('/api/v1/prompts/triage')).body.labels.production).toBeUndefined();
  });

  it('refuses a production-space keel deploy create of the unapproved template the same way', async () => {
    const refused = await keelCli(
      'deploy',
      'create',
      'triage-prod',
      '--template',
      'triage@1',
      '--space',
      'prod',
    );
    expect(refused.code).toBe(77);
    expect(refused.err).toContain('error [asset_not_approved]');
    expect(refused.err).toContain(`asset: asset ${assetId} (revision 1) has no valid approval`);
    const json = await keelCli(
      '--json',
      'deploy',
      'create',
      'triage-prod',
      '--template',
      'triage@1',
      '--space',
      'prod',
    );
    expect(JSON.parse(json.err).error.issues.map((issue: { code: string }) => issue.code)).toEqual([
      'approval_missing',
    ]);
  });

  it('moves production and deploys once a validator approved the version', async () => {
    for (const to of ['develop', 'validate'])
      expect((await api(`/api/v1/assets/${assetId}/transitions`, { json: { to } })).status).toBe(200);
    await api(`/api/v1/assets/${assetId}/validation-report`, {
      key: validatorKey,
      json: { summary: 'routes 50 tickets right', passed: true },
    });
    expect(
      (await api(`/api/v1/assets/${assetId}/transitions`, { key: validatorKey, json: { to: 'approve' } }))
        .status,
    ).toBe(200);
    const go = await api('/api/v1/approvals', {
      key: validatorKey,
      json: { asset_id: assetId, decision: 'go', reasons: 'meets the threshold' },
    });
    expect(go.body.approved).toBe(true);
    const moved = await keelCli('prompt', 'label', 'triage', 'production', '1');
    expect(moved).toMatchObject({ code: 0, out: 'triage: production → version 1 (new label)\n' });
    // Version 2 is not the approved one: still refused.
    expect((await keelCli('prompt', 'label', 'triage', 'production', '2')).code).toBe(5);
    const deployed = await keelCli(
      '--json',
      'deploy',
      'create',
      'triage-prod',
      '--template',
      'triage@1',
      '--space',
      'prod',
    );
    expect(deployed.code).toBe(0);
    expect(JSON.parse(deployed.out)).toMatchObject({ name: 'triage-prod', current_version: 1 });
  });
});
