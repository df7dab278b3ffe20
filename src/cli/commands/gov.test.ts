import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { parseThresholds } from './gov.js';

let keel: TestKeel;
let server: ListeningServer;
let editorKey: string;
let validatorKey: string;

function parsed(result: { code: number; out: string; err: string }) {
  try {
    return JSON.parse(result.out);
  } catch {
    throw new Error(`exit ${result.code}: ${result.out} ${result.err}`);
  }
}

const keelCli = (key: string, ...args: string[]) => runKeelCli({ url: server.url, key }, args);

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
  const mint = async (name: string, role: string) =>
    (await (await keel.call('/api/v1/keys', { json: { name, role } })).json()).key as string;
  editorKey = await mint('cli editor', 'editor');
  validatorKey = await mint('cli validator', 'validator');
  keel.services.governance.setRisk({
    latest: async () => ({
      tier: 'limited',
      prohibited: false,
      koreaHighImpact: false,
      completedAt: new Date(),
      version: 1,
      scorecard: {},
    }),
  });
});
afterAll(async () => {
  await server?.close(0);
  await keel?.close();
});

describe('keel gov', () => {
  it('reads thresholds', () => {
    expect(parseThresholds(['accuracy>=0.8', 'toxicity<=0.1'])).toEqual({
      accuracy: { min: 0.8 },
      toxicity: { max: 0.1 },
    });
    expect(() => parseThresholds(['accuracy=0.8'])).toThrow(/threshold/);
  });

  it('registers a use case, moves an asset, refuses out of order and the production label, then approves', async () => {
    await keel.call('/api/v1/prompts', {
      key: editorKey,
      json: {
        name: 'cli-memo',
        template: { mode: 'freeform', text: 'Memo {{x}}', model_id: 'echo:reverse' },
      },
    });
    const created = await keelCli(
      editorKey,
      '--json',
      'gov',
      'usecase',
      'create',
      'memo writer',
      '--tags',
      'ops,ko',
      '--threshold',
      'accuracy>=0.7',
    );
    expect(created.code).toBe(0);
    const useCase = parsed(created);
    expect(useCase.approaches[0].thresholds).toEqual({ accuracy: { min: 0.7 } });
    const tracked = parsed(
      await keelCli(
        editorKey,
        '--json',
        'gov',
        'track',
        useCase.id,
        'prompt_template',
        'cli-memo',
        '--pin',
        '1',
      ),
    );
    await keelCli(editorKey, 'gov', 'track', useCase.id, 'evaluation_run', 'offline-1');
    await keel.call('/api/v1/assets', {
      key: editorKey,
      json: {
        use_case_id: useCase.id,
        kind: 'evaluation_run',
        ref: 'offline-2',
        results: { metrics: { accuracy: 0.75 } },
      },
    });

    const skipped = await keelCli(editorKey, 'gov', 'transition', tracked.id, 'deploy');
    expect(skipped.code).toBe(5);
    expect(skipped.err).toContain('invalid_transition');
    expect(skipped.err).toContain('allowed from idea: develop, retire');

    expect((await keelCli(editorKey, 'gov', 'transition', tracked.id, 'develop')).code).toBe(0);
    expect((await keelCli(editorKey, 'gov', 'transition', tracked.id, 'validate')).code).toBe(0);
    const noReport = await keelCli(validatorKey, 'gov', 'transition', tracked.id, 'approve');
    expect(noReport.code).toBe(5);
    expect(noReport.err).toContain('gate_refused');
    expect(noReport.err).toContain('no validation report');
    expect(
      (await keelCli(validatorKey, 'gov', 'report', tracked.id, '--summary', 'read 50 memos')).code,
    ).toBe(0);
    expect((await keelCli(validatorKey, 'gov', 'transition', tracked.id, 'approve')).code).toBe(0);

    const gate = await keelCli(editorKey, 'gov', 'gate', 'prompt_template:cli-memo@1');
    expect(gate.code).toBe(5);
    expect(gate.out).toContain('approval_missing');
    const pending = await keelCli(validatorKey, 'gov', 'approvals', '--pending');
    expect(pending.out).toContain(tracked.id);

    const approved = await keelCli(validatorKey, 'gov', 'approve', tracked.id, '--reason', 'memos read well');
    expect(approved.code).toBe(0);
    expect(approved.out).toContain('The asset is approved.');
    expect((await keelCli(editorKey, 'gov', 'gate', 'prompt_template:cli-memo@1')).code).toBe(0);
    const deployed = await keelCli(editorKey, 'gov', 'transition', tracked.id, 'deploy');
    expect(deployed.out).toContain('is now in deploy (operate)');
    const listed = await keelCli(editorKey, 'gov', 'usecase', 'list', '--tag', 'ops');
    expect(listed.out).toContain('memo writer');
  });
});
