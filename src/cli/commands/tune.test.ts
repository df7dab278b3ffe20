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
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keel-tune-cli-'));
  file = path.join(dataDir, 'comments.jsonl');
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    lines.push(JSON.stringify({ body: `바보 멍청이 ${i}`, tag: 'hap' }));
    lines.push(JSON.stringify({ body: `고마워요 좋아요 ${i}`, tag: 'none' }));
  }
  await writeFile(file, `${lines.join('\n')}\n`);
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
});
