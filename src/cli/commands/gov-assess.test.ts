import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
let server: ListeningServer;
let editorKey: string;
let dir: string;
let useCaseId: string;

const keelCli = (args: string[], stdin?: string) =>
  runKeelCli({ url: server.url, key: editorKey }, args, stdin === undefined ? {} : { stdin });

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
  editorKey = (
    await (await keel.call('/api/v1/keys', { json: { name: 'cli editor', role: 'editor' } })).json()
  ).key;
  const useCase = await keel.call('/api/v1/use-cases', {
    key: editorKey,
    json: { name: 'loan helper', purpose: '대출 심사 보조', approach: { name: 'v1' } },
  });
  useCaseId = (await useCase.json()).id;
  dir = await mkdtemp(path.join(os.tmpdir(), 'keel-gov-cli-'));
});
afterAll(async () => {
  await server?.close(0);
  await keel?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('keel gov assess', () => {
  it('reads answers from a YAML file and prints the result with its reasons', async () => {
    const file = path.join(dir, 'answers.yaml');
    await writeFile(
      file,
      [
        'purpose_description: 대출 심사 보조 / loan screening support',
        'purpose_function: decision_support',
        'prohibited_practices: [none]',
        'domain: [credit_scoring]',
        'affected_people: [customers]',
        'scale: under_1m',
        'impact_severity: rights_or_livelihood',
        'autonomy: human_review',
        'reversibility: reversible_with_effort',
        'data_categories: [personal_data, unique_identifiers]',
        'interaction: [not_exposed]',
      ].join('\n'),
    );
    // A dry run scores the answers and stores nothing (the next test's save is version 2, not 3).
    const preview = await keelCli(['gov', 'assess', 'loan helper', '--answers', file, '--dry-run']);
    expect(preview.code, preview.err).toBe(0);
    expect(preview.out).toContain('(not saved)');
    expect(preview.out).toContain('tier:               high');
    expect(preview.out).toContain('Required controls:');
    const result = await keelCli(['gov', 'assess', 'loan helper', '--answers', file, '--lang', 'ko']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('tier:               high');
    expect(result.out).toContain('Korea high-impact:  yes');
    expect(result.out).toContain('고영향 인공지능');
    // The required controls come from the server, each with its reason.
    expect(result.out).toContain('필요한 통제:');
    expect(result.out).toContain('[Art. 9] 전 수명 주기에 걸친 위험 관리 체계를 운영합니다.');
    expect(result.out).toContain('근거: EU AI법: 고위험');
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, 'scale: [a, b]\n');
    const refused = await keelCli(['gov', 'assess', useCaseId, '--answers', bad]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('answers.purpose_description');
  });

  it('asks each question in the terminal when no file is given', async () => {
    // One line per question, in order: numbers or option ids.
    const lines = ['internal drafting helper', '1', 'none', '1', '1', '1', '1', '1', '1', '1', '2'];
    const result = await keelCli(['--json', 'gov', 'assess', useCaseId], `${lines.join('\n')}\n`);
    expect(result.code, result.err).toBe(0);
    const assessment = JSON.parse(result.out);
    expect(assessment).toMatchObject({ version: 2, eu_category: 'limited', korea_high_impact: false });
    expect(assessment.answers).toMatchObject({ domain: ['general'], interaction: ['conversational'] });
    expect(result.err).toContain('What is the system for?');
    const short = await keelCli(['gov', 'assess', useCaseId], 'only one line\n');
    expect(short.code).toBe(2);
    expect(short.err).toContain('ended before every question');
  });
});

describe('keel gov factsheet without a Hangul font on the server', () => {
  it('says Korean factsheets are refused and names the factsheets.font setting', async () => {
    const bare = await createTestKeel({ config: { factsheets: { fontSearchPaths: [] } } });
    const bareServer = await listen(bare.app);
    try {
      const key = (await (await bare.call('/api/v1/keys', { json: { name: 'e', role: 'editor' } })).json())
        .key;
      const created = await bare.call('/api/v1/use-cases', {
        key,
        json: { name: 'plain', purpose: 'english only', approach: { name: 'v1' } },
      });
      expect(created.status).toBe(201);
      const run = (args: string[]) => runKeelCli({ url: bareServer.url, key }, args);
      const file = path.join(dir, 'plain.pdf');
      const english = await run(['gov', 'factsheet', 'plain', '--format', 'pdf', '--lang', 'en', '-o', file]);
      expect(english.code, english.err).toBe(0);
      expect(english.out).toContain('refused with font_unavailable');
      expect(english.out).toContain('factsheets.font');
      expect(english.out).not.toContain('Korean text is not shown');
      const korean = await run(['gov', 'factsheet', 'plain', '--format', 'pdf', '--lang', 'ko', '-o', file]);
      expect(korean.code).toBe(69);
      expect(korean.err).toContain('error [font_unavailable]');
      expect(korean.err).toContain('factsheets.font');
    } finally {
      await bareServer.close(0);
      await bare.close();
    }
  });
});

describe('keel gov factsheet', () => {
  it('exports Markdown to stdout, PDF and JSON to files, and diffs approaches', async () => {
    const md = await keelCli(['gov', 'factsheet', 'loan helper']);
    expect(md.code, md.err).toBe(0);
    expect(md.out).toContain('# Factsheet: loan helper');
    expect(md.out).toContain('## Risk assessment');
    const pdfFile = path.join(dir, 'sheet.pdf');
    const pdf = await keelCli(['gov', 'factsheet', useCaseId, '--format', 'pdf', '-o', pdfFile]);
    expect(pdf.code, pdf.err).toBe(0);
    expect(pdf.out).toContain(`Wrote ${pdfFile}`);
    expect((await readFile(pdfFile)).subarray(0, 5).toString()).toBe('%PDF-');
    const jsonFile = path.join(dir, 'sheet.json');
    expect((await keelCli(['gov', 'factsheet', useCaseId, '--format', 'json', '-o', jsonFile])).code).toBe(0);
    expect(JSON.parse(await readFile(jsonFile, 'utf8')).schema).toBe('keel.factsheet/v1');
    const missing = await keelCli(['gov', 'factsheet', 'no such use case']);
    expect(missing.code).toBe(4);
    await keel.call(`/api/v1/use-cases/${useCaseId}/approaches`, {
      key: editorKey,
      json: { name: 'v2', thresholds: { f1: { min: 0.7 } } },
    });
    const diff = await keelCli(['gov', 'factsheet-diff', useCaseId, '1', '2']);
    expect(diff.code, diff.err).toBe(0);
    expect(diff.out).toContain('approach.thresholds.f1.min');
  });
});
