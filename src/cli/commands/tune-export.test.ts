/**
 * `keel tune export` against a running test Keel: a local JSONL file uploaded, exported, and the
 * spec downloaded into a folder.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
let server: ListeningServer;
let dir: string;

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
  dir = await mkdtemp(path.join(os.tmpdir(), 'keel-tune-export-'));
  const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ input: `q ${i}`, output: `a ${i}` }));
  lines.splice(3, 0, '{"input": "no output"}');
  await writeFile(path.join(dir, 'records.jsonl'), `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await server?.close();
  await keel?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: keel.adminKey }, args);

describe('keel tune export', () => {
  it('uploads the records, exports a QLoRA spec, reports the skipped line and downloads the files', async () => {
    const out = path.join(dir, 'spec');
    const run = await keelCli(
      'tune',
      'export',
      'faq',
      '--base-model',
      'org/base-1b',
      '--method',
      'qlora',
      '--file',
      path.join(dir, 'records.jsonl'),
      '--lora-rank',
      '4',
      '--epochs',
      '2',
      '--validation-fraction',
      '0.2',
      '--seed',
      '3',
      '--out',
      out,
    );
    expect(run.err).not.toContain('failed');
    expect(run.code).toBe(0);
    expect(run.out).toContain('Exported 8 train and 2 validation records (1 skipped, 0 held out)');
    expect(run.out).toContain('skipped line 4: missing_output');
    expect(run.out).toContain('Train with axolotl: axolotl train axolotl.yaml');
    const axolotl = parse(await readFile(path.join(out, 'axolotl.yaml'), 'utf8'));
    expect(axolotl).toMatchObject({
      adapter: 'qlora',
      load_in_4bit: true,
      lora_r: 4,
      num_epochs: 2,
      seed: 3,
    });
    const train = (await readFile(path.join(out, 'train.jsonl'), 'utf8')).trim().split('\n');
    const validation = (await readFile(path.join(out, 'validation.jsonl'), 'utf8')).trim().split('\n');
    expect([train.length, validation.length]).toEqual([8, 2]);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      method: 'qlora',
      seed: 3,
      dataset: { source: 'file', file: 'tuning-uploads/records.jsonl' },
    });
  });

  it('reports missing options and out-of-range hyper-parameters with their codes', async () => {
    const missing = await keelCli('tune', 'export', 'faq', '--method', 'lora');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('--base-model <id> is required');
    const range = await keelCli(
      'tune',
      'export',
      'faq',
      '--base-model',
      'b',
      '--method',
      'lora',
      '--file',
      path.join(dir, 'records.jsonl'),
      '--lora-dropout',
      '2',
    );
    expect(range.code).not.toBe(0);
    expect(range.err).toContain('hyper_parameters.lora_dropout: Too big');
  });
});
