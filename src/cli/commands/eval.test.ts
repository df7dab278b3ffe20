import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../api/error-codes.js';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
let server: ListeningServer;
let dir: string;

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
  dir = await mkdtemp(path.join(tmpdir(), 'keel-cli-eval-'));
  await writeFile(path.join(dir, 'qa.csv'), 'question,answer\nb a,a b\nd c,c d\ny x,wrong\n');
  const evalFile = (threshold: number) =>
    [
      'name: reverse-check',
      'target: { kind: model, model: "echo:reverse" }',
      'dataset: { path: ./qa.csv, mapping: { input: [question], reference: answer } }',
      'metrics: [exact_match, f1]',
      `thresholds: [{ metric: exact_match, min: ${threshold} }]`,
    ].join('\n');
  await writeFile(path.join(dir, 'pass.yaml'), evalFile(0.5));
  await writeFile(path.join(dir, 'fail.yaml'), evalFile(0.9));
  // A SQuAD-layout directory (the KorQuAD/XQuAD format) and a kocohub-layout one.
  await mkdir(path.join(dir, 'squad'));
  await writeFile(
    path.join(dir, 'squad', 'dev.json'),
    JSON.stringify({
      version: 'x',
      data: [
        {
          title: 't',
          paragraphs: [
            {
              context: '임종석은 1989년 2월 15일 지명수배되었다.',
              qas: [
                {
                  id: 'q1',
                  question: '지명수배된 날은?',
                  answers: [{ text: '1989년 2월 15일', answer_start: 4 }],
                },
              ],
            },
          ],
        },
      ],
    }),
  );
  await mkdir(path.join(dir, 'hate'));
  await writeFile(
    path.join(dir, 'hate', 'dev.tsv'),
    'comments\tcontain_gender_bias\tbias\thate\n좋았다\tFalse\tnone\tnone\n나쁜놈\tFalse\tnone\toffensive\n',
  );
});
afterAll(async () => {
  await server?.close();
  await keel?.close();
  await rm(dir, { recursive: true, force: true });
});

const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: keel.adminKey }, args);

describe('keel eval', () => {
  it('adds datasets from files and known set layouts, and lists them', async () => {
    const added = await keelCli(
      'eval',
      'dataset',
      'add',
      'qa-file',
      path.join(dir, 'qa.csv'),
      '--mapping',
      '{"input":["question"],"reference":"answer"}',
    );
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/Added qa-file v1 \(3 rows/);
    const squad = await keelCli('eval', 'dataset', 'add', '--from', path.join(dir, 'squad'));
    expect(squad.code).toBe(0);
    const preview = await keel.services.evals.datasets.preview(
      keel.services.installation.defaultProjectId,
      'squad',
    );
    expect(preview.items[0]).toMatchObject({
      input: { question: '지명수배된 날은?' },
      references: ['1989년 2월 15일'],
      contexts: ['임종석은 1989년 2월 15일 지명수배되었다.'],
    });
    const hate = await keelCli('eval', 'dataset', 'add', 'kocohub', '--from', path.join(dir, 'hate'));
    expect(hate.code).toBe(0);
    const list = await keelCli('eval', 'dataset', 'list');
    expect(list.out).toContain('qa-file');
    expect(list.out).toContain('kocohub');
  });

  it('runs an evaluation file: table, JSON, JUnit XML, and the threshold_failed exit code', async () => {
    const json = path.join(dir, 'out.json');
    const junit = path.join(dir, 'out.xml');
    const failed = await keelCli(
      'eval',
      'run',
      path.join(dir, 'fail.yaml'),
      '--json-out',
      json,
      '--junit',
      junit,
    );
    expect(failed.code).toBe(errorCodes.threshold_failed.exit);
    expect(failed.out).toMatch(/exact_match\s+0\.6667/);
    expect(failed.out).toContain('FAIL');
    expect(failed.err).toMatch(/Threshold failed: exact_match/);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('type="threshold_failed"');
    const run = JSON.parse(await readFile(json, 'utf8'));
    expect(run.passed).toBe(false);

    const passed = await keelCli('eval', 'run', path.join(dir, 'pass.yaml'));
    expect(passed.code).toBe(0);
    expect(passed.out).toContain('pass');

    const { evaluations } = await (await keel.call('/api/v1/evaluations')).json();
    const compare = await keelCli('eval', 'compare', evaluations[1].id, evaluations[0].id);
    expect(compare.code).toBe(0);
    expect(compare.out).toMatch(/exact_match .*no_difference/);
  });

  it('explains a bad evaluation file with coded issues', async () => {
    await writeFile(path.join(dir, 'bad.yaml'), 'target: { kind: model }\ndataset: qa\nmetrics: []\n');
    const bad = await keelCli('eval', 'run', path.join(dir, 'bad.yaml'));
    expect(bad.code).toBe(errorCodes.invalid_request.exit);
    expect(bad.err).toMatch(/not a valid evaluation file/);
  });
});
