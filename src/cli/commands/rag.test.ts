import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

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

const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: keel.adminKey }, args);

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
    // Each configuration's evaluation run is named, for `keel eval compare`.
    expect(result.out).toMatch(/RUN/);
    expect(result.out).toMatch(/\bevr_\w+/);
    expect(result.out.trim().split('\n').length).toBeGreaterThanOrEqual(5);
    expect(result.err).toMatch(/Saved the best configuration as version 2/);
  });

  it('ingests a folder of folders recursively, skipping hidden entries, node_modules and other types', async () => {
    const tree = path.join(dir, 'tree');
    for (const sub of ['guides/deep', '.git', 'node_modules/pkg', 'empty'])
      await mkdir(path.join(tree, sub), { recursive: true });
    await writeFile(path.join(tree, 'guides', 'setup.md'), '# Setup\n\nInstall the unit on a flat wall.\n');
    await writeFile(path.join(tree, 'guides', 'deep', 'notes.txt'), 'Clean the filter every month.');
    await writeFile(path.join(tree, '.git', 'HEAD.md'), 'hidden');
    await writeFile(path.join(tree, 'node_modules', 'pkg', 'readme.md'), 'a dependency');
    await writeFile(path.join(tree, 'logo.png'), 'not text');
    await writeFile(path.join(tree, 'draft.md'), 'not ready');
    expect((await keelCli('rag', 'create', 'tree')).code).toBe(0);

    const ingest = await keelCli('rag', 'ingest', 'tree', tree, '--exclude', 'draft.md');
    expect(ingest.code).toBe(0);
    expect(ingest.err).toContain(
      '2 files found; skipped 2 hidden or node_modules, 1 of a type Keel does not read, 1 left out by --include/--exclude.',
    );
    const documents = await keelCli('--json', 'rag', 'documents', 'tree');
    expect((JSON.parse(documents.out) as { name: string }[]).map((d) => d.name).sort()).toEqual([
      'guides/deep/notes.txt',
      'guides/setup.md',
    ]);

    const onlyText = await keelCli('rag', 'ingest', 'tree', tree, '--include', '*.txt,guides/*.md');
    expect(onlyText.err).toMatch(/^2 files found/);
    const none = await keelCli('rag', 'ingest', 'tree', path.join(tree, 'empty'));
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/0 files found[\s\S]*No documents to ingest/);
  });

  it('names the line and field of a bad question file', async () => {
    const file = path.join(dir, 'bad-questions.jsonl');
    await writeFile(
      file,
      `${JSON.stringify({ question: 'ok', passages: ['x'] })}\n\n${JSON.stringify({ question: 'q', passages: 'x' })}\n{"questoin": "typo"}\nnot json\n`,
    );
    const result = await keelCli('rag', 'experiment', 'docs', file);
    expect(result.code).toBe(2);
    expect(result.err).toContain('bad-questions.jsonl:3: passages:');
    expect(result.err).toContain('bad-questions.jsonl:4: questoin:');
    expect(result.err).toContain('bad-questions.jsonl:5: not JSON');
    const array = path.join(dir, 'bad-questions.json');
    await writeFile(array, `[\n  {"question": "ok"},\n  {"question": ""}\n]\n`);
    expect((await keelCli('rag', 'experiment', 'docs', array)).err).toContain(
      'bad-questions.json:3: question:',
    );
  });

  it('refuses a missing file clearly', async () => {
    const result = await keelCli('rag', 'ingest', 'docs', path.join(dir, 'nope.pdf'));
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('nope.pdf');
  });
});
