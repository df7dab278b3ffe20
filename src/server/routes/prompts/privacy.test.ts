import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromptRun, PromptSession, RunEvent, TemplateBody } from '../../../api/prompts.js';
import type { KeelClient } from '../../../sdk/client.js';
import type { LanguageModelCallOptions } from '../../../spec/language-model.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { apiError, sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

// A resident registration number with a valid check digit, and an email address.
const RRN = '900101-1234568';
const EMAIL = 'kim@example.com';
const RAW = [RRN, EMAIL, '9001011234568'];

let keel: TestKeel;
let admin: KeelClient;
let editor: KeelClient;
let viewerKey: string;
let editorKey: string;
const seen: LanguageModelCallOptions[] = [];

const reply: TemplateBody = {
  mode: 'chat',
  system: '고객 이메일: {{email}}',
  messages: [{ role: 'user', content: '주민등록번호 {{rrn}} 고객에게 답장하세요. 메일 {{email}}' }],
  model_id: 'echo:reverse',
};

async function keyFor(role: string): Promise<string> {
  return (await (await keel.call('/api/v1/keys', { json: { name: role, role } })).json()).key;
}

async function get<T>(path: string, key: string): Promise<{ status: number; body: T }> {
  const response = await keel.call(path, { key });
  return { status: response.status, body: (await response.json()) as T };
}

async function row(table: 'prompt_runs' | 'prompt_sessions', id: string): Promise<Record<string, unknown>> {
  const result = await keel.services.db.query<Record<string, unknown>>(
    `SELECT * FROM ${table} WHERE id = $1`,
    [id],
  );
  return result.rows[0]!;
}

function expectNoRaw(value: unknown): void {
  const text = JSON.stringify(value);
  for (const raw of RAW) expect(text).not.toContain(raw);
}

beforeAll(async () => {
  keel = await createTestKeel({
    providers: [
      createEchoProvider({
        respond: (options) => {
          seen.push(options);
          return undefined;
        },
      }),
    ],
  });
  admin = sdkClient(keel, keel.adminKey);
  editorKey = await keyFor('editor');
  viewerKey = await keyFor('viewer');
  editor = sdkClient(keel, editorKey);
  // The project's default policy: Keel's defaults, PII masked.
  await admin.guardrails.policies.put('default', {});
  await admin.prompts.create({ name: 'reply', template: reply });
}, 120_000);
afterAll(async () => {
  await keel?.close();
});

describe('Prompt Lab runs under a PII-masking policy', () => {
  it('stores only the masked prompt, variables and output; the raw values only sealed', async () => {
    seen.length = 0;
    const run = await editor.prompts.run({ prompt: 'reply', variables: { rrn: RRN, email: EMAIL } });
    expect(run.status).toBe('ok');
    expect(run.redaction).toEqual({ policy: 'default', sealed: true, revealed: true });
    // The model saw the masked user message.
    const sent = seen.at(-1)!.prompt;
    expect(sent.type === 'chat' && sent.messages[1]!.content).toBe(
      '주민등록번호 [주민등록번호] 고객에게 답장하세요. 메일 [EMAIL]',
    );

    const stored = await row('prompt_runs', run.id);
    expectNoRaw([stored.prompt, stored.variables, stored.output, stored.search_text, stored.sealed]);
    expect(stored.variables).toEqual({ rrn: '[주민등록번호]', email: '[EMAIL]' });
    // The system message (filled from a variable, not checked on the way to the model) is masked at rest too.
    expect(JSON.stringify(stored.prompt)).toContain('고객 이메일: [EMAIL]');
    expect(stored.guardrail_policy).toBe('default');
    expect(stored.sealed).toMatchObject({ iv: expect.any(String), ciphertext: expect.any(String) });

    // A viewer reads the masked run, in the list and by id, and cannot reveal it.
    const list = await get<{ runs: PromptRun[] }>('/api/v1/prompt-runs', viewerKey);
    const listed = list.body.runs.find((r) => r.id === run.id)!;
    expectNoRaw(listed);
    expect(listed.variables).toEqual({ rrn: '[주민등록번호]', email: '[EMAIL]' });
    expect(listed.redaction).toEqual({ policy: 'default', sealed: true, revealed: false });
    const one = await get<PromptRun>(`/api/v1/prompt-runs/${run.id}`, viewerKey);
    expect(one.status).toBe(200);
    expectNoRaw(one.body);
    expect((await get(`/api/v1/prompt-runs/${run.id}?reveal=true`, viewerKey)).status).toBe(403);
    const asked = await get<{ runs: PromptRun[] }>('/api/v1/prompt-runs?reveal=true', viewerKey);
    expectNoRaw(asked.body.runs);
    // Search does not find a masked value (it would tell a viewer the value is there).
    expect((await get<{ runs: PromptRun[] }>(`/api/v1/prompt-runs?q=${EMAIL}`, viewerKey)).body.runs).toEqual(
      [],
    );

    // A role in restoreRoles (admin, editor by default) can ask for the raw values.
    const revealed = await get<PromptRun>(`/api/v1/prompt-runs/${run.id}?reveal=true`, editorKey);
    expect(revealed.status).toBe(200);
    expect(revealed.body.variables).toEqual({ rrn: RRN, email: EMAIL });
    expect(JSON.stringify(revealed.body.prompt)).toContain(RRN);
    expect(revealed.body.redaction?.revealed).toBe(true);
    // The reveal is on the audit record; its detail names the policy, never a value.
    const audit = await get<{ records: { action: string; actor: { key_id: string | null } }[] }>(
      `/api/v1/audit?action=prompt_run.reveal&target_id=${run.id}`,
      keel.adminKey,
    );
    expect(audit.body.records.map((record) => record.action)).toEqual(['prompt_run.reveal']);
    expect(audit.body.records[0]!.actor.key_id).not.toBeNull();
    expectNoRaw(audit.body);
  });

  it('pseudonymises: placeholders at rest, restored only for roles the policy names', async () => {
    await admin.guardrails.policies.put('pseudo', {
      input: { pii: { action: 'pseudonymise' } },
      output: { pii: { enabled: false } },
      restoreRoles: ['admin'],
    });
    const template: TemplateBody = {
      mode: 'freeform',
      text: '메일 {{email}} 번호 {{rrn}}',
      model_id: 'echo:reverse',
      guardrail_policy: 'pseudo',
    };
    const byEditor = await editor.prompts.run({ template, variables: { rrn: RRN, email: EMAIL } });
    expect(byEditor.output).toBe('[주민등록번호_1] 번호 [EMAIL_1] 메일');
    expect(byEditor.variables).toEqual({ rrn: '[주민등록번호_1]', email: '[EMAIL_1]' });

    const byAdmin = await admin.prompts.run({ template, variables: { rrn: RRN, email: EMAIL } });
    expect(byAdmin.output).toBe(`${RRN} 번호 ${EMAIL} 메일`);
    const stored = await row('prompt_runs', byAdmin.id);
    expectNoRaw([stored.prompt, stored.variables, stored.output, stored.search_text]);
    expect(stored.output).toBe('[주민등록번호_1] 번호 [EMAIL_1] 메일');

    // Reveal follows the policy: the editor may not, the admin may, and gets the output restored.
    expect((await get(`/api/v1/prompt-runs/${byAdmin.id}?reveal=true`, editorKey)).status).toBe(403);
    const revealed = await get<PromptRun>(`/api/v1/prompt-runs/${byAdmin.id}?reveal=true`, keel.adminKey);
    expect(revealed.body.output).toBe(`${RRN} 번호 ${EMAIL} 메일`);

    // Streamed: the admin's deltas are restored, the recorded run is not.
    const response = await keel.call('/api/v1/prompt-runs', {
      json: { template, variables: { rrn: RRN, email: EMAIL }, stream: true },
    });
    const events = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as RunEvent);
    const deltas = events.flatMap((event) => (event.type === 'delta' ? [event.text] : [])).join('');
    expect(deltas).toContain(RRN);
    const result = events.find((event) => event.type === 'result');
    const streamed = await row('prompt_runs', (result as { run: PromptRun }).run.id);
    expect(streamed.output).toBe('[주민등록번호_1] 번호 [EMAIL_1] 메일');
    await admin.guardrails.policies.delete('pseudo');
  });

  it('records a run that fails before the model masked too (a policy that is gone: the project default)', async () => {
    const failure = await apiError(
      editor.prompts.run({
        template: { mode: 'freeform', text: '{{rrn}}', model_id: 'echo:reverse', guardrail_policy: 'gone' },
        variables: { rrn: RRN },
      }),
    );
    expect(failure.code).toBe('not_found');
    const runId = (failure.data as { runId: string }).runId;
    const stored = await row('prompt_runs', runId);
    expect(stored.status).toBe('error');
    expectNoRaw([stored.prompt, stored.variables]);
    expect(stored.guardrail_policy).toBe('default');
  });

  it('masks an inline template written with the values in it (its text is the user’s own)', async () => {
    const run = await editor.prompts.run({
      template: { mode: 'freeform', text: `Write to ${EMAIL} about ${RRN}.`, model_id: 'echo:reverse' },
    });
    expect(run.redaction).toMatchObject({ policy: 'default', sealed: true });
    const stored = await row('prompt_runs', run.id);
    expectNoRaw([stored.source, stored.prompt, stored.output, stored.search_text]);
    const viewed = await get<PromptRun>(`/api/v1/prompt-runs/${run.id}`, viewerKey);
    expectNoRaw(viewed.body);
    expect(viewed.body.source.mode === 'freeform' && viewed.body.source.text).toBe(
      'Write to [EMAIL] about [주민등록번호].',
    );
    // A role that may restore gets the template back as written.
    const revealed = await get<PromptRun>(`/api/v1/prompt-runs/${run.id}?reveal=true`, editorKey);
    expect(revealed.body.source.mode === 'freeform' && revealed.body.source.text).toBe(
      `Write to ${EMAIL} about ${RRN}.`,
    );
  });
});

describe('Prompt sessions under a PII-masking policy', () => {
  it('stores drafts masked, reveals them to restore roles, and keeps the raw values across a masked save', async () => {
    const draft = { template: reply, variables: { rrn: RRN, email: EMAIL } };
    const session = await editor.prompts.sessions.create({ name: '답장 초안', draft });
    expect(session.draft?.variables).toEqual({ rrn: '[주민등록번호]', email: '[EMAIL]' });
    const stored = await row('prompt_sessions', session.id);
    expectNoRaw([stored.draft, stored.draft_sealed]);
    expect(stored.draft_sealed).not.toBeNull();

    const viewed = await get<PromptSession>(`/api/v1/prompt-sessions/${session.id}`, viewerKey);
    expectNoRaw(viewed.body);
    expect((await get(`/api/v1/prompt-sessions/${session.id}?reveal=true`, viewerKey)).status).toBe(403);
    const revealed = await get<PromptSession>(`/api/v1/prompt-sessions/${session.id}?reveal=true`, editorKey);
    expect(revealed.body.draft?.variables).toEqual({ rrn: RRN, email: EMAIL });

    // Saving back the draft as it was read (masked) keeps the sealed raw values.
    const saved = await editor.prompts.sessions.save(session.id, { draft: viewed.body.draft! });
    expect(saved.draft?.variables).toEqual({ rrn: '[주민등록번호]', email: '[EMAIL]' });
    const again = await get<PromptSession>(`/api/v1/prompt-sessions/${session.id}?reveal=true`, editorKey);
    expect(again.body.draft?.variables).toEqual({ rrn: RRN, email: EMAIL });

    // Runs recorded into the session read masked there too; restoring one gives a restore role the raw draft.
    const run = await editor.prompts.run({
      prompt: 'reply',
      variables: { rrn: RRN, email: EMAIL },
      session_id: session.id,
    });
    const runs = await get<{ runs: PromptRun[] }>(`/api/v1/prompt-sessions/${session.id}/runs`, viewerKey);
    expect(runs.body.runs.map((r) => r.id)).toEqual([run.id]);
    expectNoRaw(runs.body.runs);
    const restored = await editor.prompts.runs.restore(run.id);
    expectNoRaw(restored);
    expectNoRaw(await row('prompt_sessions', restored.id));
    const restoredRaw = await get<PromptSession>(
      `/api/v1/prompt-sessions/${restored.id}?reveal=true`,
      editorKey,
    );
    expect(restoredRaw.body.draft?.variables).toEqual({ rrn: RRN, email: EMAIL });
  });
});

describe('rows written before redaction', () => {
  it('are masked by the one-off redact call under the policy that applies now, raw values sealed', async () => {
    const db = keel.services.db;
    const project = (await db.query<{ project_id: string }>('SELECT project_id FROM prompt_runs LIMIT 1'))
      .rows[0]!.project_id;
    const prompt = { type: 'text', text: `주민등록번호 ${RRN} 메일 ${EMAIL}` };
    await db.query(
      `INSERT INTO prompt_runs (id, project_id, source, prompt, variables, parameters, model_id, status, output, search_text)
       VALUES ('prun_old', $1, $2::jsonb, $3::jsonb, $4::jsonb, '{}'::jsonb, 'echo:reverse', 'ok', $5, $6)`,
      [
        project,
        JSON.stringify({ mode: 'freeform', text: '{{rrn}}' }),
        JSON.stringify(prompt),
        JSON.stringify({ rrn: RRN, email: EMAIL }),
        `${EMAIL} 메일 ${RRN}`,
        `${prompt.text}\n${EMAIL}`,
      ],
    );
    await db.query(
      `INSERT INTO prompt_sessions (id, project_id, name, draft) VALUES ('pss_old', $1, 'old', $2::jsonb)`,
      [project, JSON.stringify({ template: reply, variables: { rrn: RRN } })],
    );
    expect((await keel.call('/api/v1/prompt-runs/redact', { key: editorKey, json: {} })).status).toBe(403);
    const report = await (await keel.call('/api/v1/prompt-runs/redact', { json: { limit: 500 } })).json();
    expect(report).toEqual({ runs: 1, sessions: 1, remaining: false });

    const run = await row('prompt_runs', 'prun_old');
    expectNoRaw([run.prompt, run.variables, run.output, run.search_text]);
    expect(run).toMatchObject({ guardrail_policy: 'default', privacy_checked: true });
    const session = await row('prompt_sessions', 'pss_old');
    expectNoRaw(session.draft);
    const revealed = await get<PromptRun>('/api/v1/prompt-runs/prun_old?reveal=true', editorKey);
    expect(revealed.body.output).toBe(`${EMAIL} 메일 ${RRN}`);
    expect(revealed.body.variables).toEqual({ rrn: RRN, email: EMAIL });
    // Nothing is left: a second call finds no unchecked rows.
    expect(await (await keel.call('/api/v1/prompt-runs/redact', { json: {} })).json()).toMatchObject({
      runs: 0,
      sessions: 0,
    });
  });
});
