import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { sdkClient } from '../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

// A resident registration number with a valid check digit, and an email address.
const RRN = '900101-1234568';
const EMAIL = 'kim@example.com';

let keel: TestKeel;
let server: ListeningServer;
let project: string;

const keelCli = (key: string, ...args: string[]) => runKeelCli({ url: server.url, key }, args);

/** A run and a draft as they were stored before redaction: raw values, not yet checked. */
async function insertUncheckedRows(count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const prompt = { type: 'text', text: `메일 ${EMAIL} 번호 ${RRN}` };
    await keel.services.db.query(
      `INSERT INTO prompt_runs (id, project_id, source, prompt, variables, parameters, model_id, status, output, search_text)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, '{}'::jsonb, 'echo:reverse', 'ok', $6, $7)`,
      [
        `prun_old_${index}`,
        project,
        JSON.stringify({ mode: 'freeform', text: '메일 {{email}} 번호 {{rrn}}' }),
        JSON.stringify(prompt),
        JSON.stringify({ rrn: RRN, email: EMAIL }),
        `${EMAIL} 회신`,
        `${prompt.text}\n${EMAIL} 회신`,
      ],
    );
  }
  await keel.services.db.query(
    `INSERT INTO prompt_sessions (id, project_id, name, draft) VALUES ('pss_old', $1, 'old', $2::jsonb)`,
    [
      project,
      JSON.stringify({
        template: { mode: 'freeform', text: '{{email}}', model_id: 'echo:reverse' },
        variables: { email: EMAIL },
      }),
    ],
  );
}

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider()] });
  server = await listen(keel.app);
  await sdkClient(keel, keel.adminKey).guardrails.policies.put('default', {});
  project = (await sdkClient(keel, keel.adminKey).me()).default_project_id;
}, 120_000);
afterAll(async () => {
  await server?.close(0);
  await keel?.close();
});

describe('keel prompt runs redact', () => {
  it('masks rows written before redaction in batches until none are left; admins only', async () => {
    await insertUncheckedRows(5);
    const editorKey = (
      await (await keel.call('/api/v1/keys', { json: { name: 'editor', role: 'editor' } })).json()
    ).key as string;
    const refused = await keelCli(editorKey, 'prompt', 'runs', 'redact');
    expect(refused.code).toBe(77);
    expect(refused.err).toMatch(/not allowed|manage/i);

    const done = await keelCli(keel.adminKey, '--json', 'prompt', 'runs', 'redact', '--batch', '2');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out)).toEqual({ runs: 5, sessions: 1 });
    const stored = await keel.services.db.query<{
      variables: unknown;
      output: string;
      privacy_checked: boolean;
    }>(`SELECT variables, output, privacy_checked FROM prompt_runs WHERE id LIKE 'prun_old_%'`);
    expect(stored.rows).toHaveLength(5);
    for (const row of stored.rows) {
      expect(row.privacy_checked).toBe(true);
      expect(JSON.stringify([row.variables, row.output])).not.toContain(EMAIL);
    }
    // The raw values are sealed: a restore role reads them back.
    const revealed = await sdkClient(keel, keel.adminKey).prompts.runs.get('prun_old_0', { reveal: true });
    expect(revealed.variables).toEqual({ rrn: RRN, email: EMAIL });
    const sdk = sdkClient(keel, keel.adminKey);
    const listed = await sdk.prompts.runs.search({ reveal: true, limit: 200 });
    expect(listed.runs.find((run) => run.id === 'prun_old_1')?.variables).toEqual({ rrn: RRN, email: EMAIL });
    expect((await sdk.prompts.runs.search()).runs.map((run) => run.redaction?.revealed)).not.toContain(true);
    expect((await sdk.prompts.sessions.get('pss_old')).draft?.variables).toEqual({ email: '[EMAIL]' });
    expect((await sdk.prompts.sessions.get('pss_old', { reveal: true })).draft?.variables).toEqual({
      email: EMAIL,
    });

    const again = await keelCli(keel.adminKey, 'prompt', 'runs', 'redact');
    expect(again.code).toBe(0);
    expect(again.out).toContain('Nothing to mask');
  });

  it('refuses a batch size out of range before calling the server', async () => {
    const bad = await keelCli(keel.adminKey, 'prompt', 'runs', 'redact', '--batch', '0');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--batch');
  });
});
