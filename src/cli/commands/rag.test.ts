import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { captureIO } from '../../testing/cli-io.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { runCli } from '../main.js';

let keel: TestKeel;
let server: ListeningServer;
let dir: string;

beforeAll(async () => {
  keel = await createTestKeel({
    providers: [createEchoProvider({ name: 'cite', respond: () => '보증 기간은 2년입니다 [1].' })],
  });
  server = await listen(keel.app);
  dir = await mkdtemp(path.join(tmpdir(), 'keel-cli-rag-'));
  await writeFile(path.join(dir, 'warranty.md'), '# 보증\n\n제품 보증 기간은 구입일로부터 2년입니다.\n');
  await writeFile(path.join(dir, 'faq.txt'), 'Orders ship within three business days.');
  await writeFile(
    path.join(dir, 'questions.jsonl'),
    `${JSON.stringify({ question: '보증 기간', passages: ['보증 기간은 구입일로부터 2년'] })}\n${JSON.stringify({ question: 'when do orders ship', passages: ['ship within three business days'] })}\n`,
  );
});
afterAll(async () => {
  await server?.close();
  await keel?.close();
  await rm(dir, { recursive: true, force: true });
});

async function keelCli(...args: string[]) {
  const captured = captureIO();
  const code = await runCli(['--url', server.url, '--key', keel.adminKey, ...args], captured.io);
  return { code, out: captured.out(), err: captured.err() };
}

describe('keel rag', () => {
  it('creates, ingests a directory with progress, searches and asks with citations', async () => {
    expect(
      (await keelCli('rag', 'create', 'docs', '--model', 'cite:reverse', '--size', '300', '--overlap', '0'))
        .code,
    ).toBe(0);
    const ingest = await keelCli('rag', 'ingest', 'docs', dir);
    expect(ingest.code).toBe(0);
    expect(ingest.err).toMatch(/ingested/);
    const documents = await keelCli('rag', 'documents', 'docs');
    expect(documents.out).toContain('warranty.md');
    const search = await keelCli('rag', 'search', 'docs', '보증 기간', '--mode', 'keyword');
    expect(search.out).toContain('warranty.md');
    const ask = await keelCli('rag', 'ask', 'docs', '보증 기간은 얼마인가요?');
    expect(ask.out).toContain('보증 기간은 2년입니다 [1]');
    expect(ask.out).toContain('[1] warranty.md');
  });

  it('runs an experiment and prints the leaderboard', async () => {
    const result = await keelCli(
      'rag',
      'experiment',
      'docs',
      path.join(dir, 'questions.jsonl'),
      '--size',
      '100,300',
      '--mode',
      'keyword,hybrid',
      '--apply',
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/RANK/);
    expect(result.out.trim().split('\n').length).toBeGreaterThanOrEqual(5);
    expect(result.err).toMatch(/Saved the best configuration as version 2/);
  });

  it('refuses a missing file clearly', async () => {
    const result = await keelCli('rag', 'ingest', 'docs', path.join(dir, 'nope.pdf'));
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('nope.pdf');
  });
});
