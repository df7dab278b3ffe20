import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { parseTarget } from './redteam.js';

let keel: TestKeel;
let server: ListeningServer;

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
}, 300_000);
afterAll(async () => {
  await server?.close();
  await keel?.close();
});

const redteam = (...args: string[]) =>
  runKeelCli({ url: server.url, key: keel.adminKey }, ['eval', 'redteam', ...args]);

describe('keel eval redteam', () => {
  it('runs the probes through the target and prints attack success per category and language', async () => {
    const result = await redteam(
      '--target',
      'echo:reverse',
      '--policy',
      'none',
      '--category',
      'direct_injection',
      '--language',
      'ko',
      '--max-asr',
      '0.5',
    );
    expect(result.out).toMatch(/direct_injection\s+ko\s+2\d\s+100\.0%/);
    expect(result.out).toContain('policy: none');
    // Every attack got through the unguarded echo model: over the --max-asr bar.
    expect(result.code).toBe(6);
  });

  it('names the guardrail that caught each probe with --probes, and counts per detector', async () => {
    await keel.call('/api/v1/guardrails/policies/block-injection', {
      method: 'PUT',
      json: { input: { injection: { action: 'block' } } },
    });
    const result = await redteam(
      '--target',
      'echo:reverse',
      '--policy',
      'block-injection',
      '--category',
      'direct_injection',
      '--language',
      'en',
      '--limit',
      '12',
      '--probes',
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/By detector \(of the completed probes\)\nDETECTOR\s+CAUGHT\s+RATE\s+BLOCKED/);
    expect(result.out).toMatch(/\ninjection\s+(\d+)\s+\d+\.\d%\s+\1\s+\1\s+0\s/);
    expect(result.out).toMatch(
      /direct-injection-en-\d+\s+direct_injection\s+en\s+blocked_input\s+failed\s+injection \(input, block\)/,
    );
    const listed = result.out.split('Per probe\n')[1]!.trim().split('\n');
    expect(listed).toHaveLength(1 + 12);
    for (const line of listed.slice(1)) expect(line).toMatch(/injection \(input, block\)|got through/);
  });

  it('prints the run as JSON with --json', async () => {
    const result = await redteam(
      '--json',
      '--target',
      'echo:reverse',
      '--category',
      'pii_extraction',
      '--limit',
      '3',
    );
    expect(result.code).toBe(0);
    const run = JSON.parse(result.out);
    expect(run).toMatchObject({ status: 'succeeded', probe_count: 3, policy: { mode: 'project' } });
  });

  it('refuses a target that is neither a model nor a template', async () => {
    const result = await redteam('--target', 'nothing');
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('--target');
    expect(parseTarget('template:bot@2', { inputVariable: 'q' })).toEqual({
      type: 'template',
      prompt: 'bot@2',
      input_variable: 'q',
    });
    expect(parseTarget('deployment:support', {})).toEqual({ type: 'deployment', deployment: 'support' });
    expect(parseTarget('collection:manuals', {})).toEqual({ type: 'rag', collection: 'manuals' });
  });
});
