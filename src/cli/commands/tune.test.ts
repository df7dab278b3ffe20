/**
 * `keel tune head` in local mode (the CLI runs Keel in process).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIO } from '../../testing/cli-io.js';
import { runCli } from '../main.js';

let dataDir: string;
let file: string;
let taggedFile: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keel-tune-cli-'));
  file = path.join(dataDir, 'comments.jsonl');
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    lines.push(JSON.stringify({ body: `바보 멍청이 ${i}`, tag: 'hap' }));
    lines.push(JSON.stringify({ body: `고마워요 좋아요 ${i}`, tag: 'none' }));
  }
  await writeFile(file, `${lines.join('\n')}\n`);
  taggedFile = path.join(dataDir, 'people.jsonl');
  const tagged: string[] = [];
  for (let i = 0; i < 16; i++) {
    tagged.push(
      JSON.stringify({ tokens: ['call', ['Kim', 'Lee'][i % 2], 'now'], tags: ['O', 'B-PER', 'O'] }),
    );
    tagged.push(JSON.stringify({ tokens: ['it', 'rains'], tags: ['O', 'O'] }));
  }
  await writeFile(taggedFile, `${tagged.join('\n')}\n`);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function keel(...args: string[]) {
  const captured = captureIO({ KEEL_LOG_LEVEL: 'silent' });
  const code = await runCli(['--data-dir', dataDir, ...args], captured.io);
  return { code, out: captured.out(), err: captured.err() };
}

describe('keel tune head', () => {
  it('trains a head from a JSONL file', { timeout: 240_000 }, async () => {
    const run = await keel('tune', 'head', '--dataset', file, '--text-field', 'body', '--label-field', 'tag');
    expect(run.code).toBe(0);
    expect(run.out).toContain('Head comments v1 (model head:comments)');
    const missing = await keel('tune', 'head', '--dataset', file, '--text-field', 'nope');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('lacks');
  });

  it('takes the method and the features model as flags, and shows progress by epoch', {
    timeout: 240_000,
  }, async () => {
    const mlp = await keel(
      'tune',
      'head',
      '--dataset',
      file,
      '--text-field',
      'body',
      '--label-field',
      'tag',
      '--name',
      'comments-mlp',
      '--method',
      'mlp',
      '--hidden-units',
      '8',
      '--features',
      'hashing',
      '--dimensions',
      '1024',
    );
    expect(mlp.code).toBe(0);
    expect(mlp.out).toContain('Head comments-mlp v1');
    expect(mlp.err).toContain('Training (epochs)');

    const tagger = await keel('tune', 'head', '--dataset', taggedFile, '--method', 'tagger', '--window', '1');
    expect(tagger.code).toBe(0);
    expect(tagger.out).toMatch(/Head people v1 .*span F1 \d\.\d{3}/);

    const badMethod = await keel('tune', 'head', '--dataset', file, '--method', 'forest');
    expect(badMethod.code).not.toBe(0);
    expect(badMethod.err).toContain('--method must be one of logistic, mlp, tagger');
    // A tagger on a registry embedding model (each token and its window embedded).
    const embedded = await keel(
      'tune',
      'head',
      '--dataset',
      taggedFile,
      '--method',
      'tagger',
      '--name',
      'people-embedded',
      '--features',
      'hashing:ngram-v1',
    );
    expect(embedded.err).not.toContain('failed');
    expect(embedded.code).toBe(0);
    expect(embedded.out).toMatch(/Head people-embedded v1 .*span F1 \d\.\d{3}/);
  });
});
