/**
 * `keel tune adapter add|list|show|remove` against a server running llama.cpp on the tiny model,
 * with tiny LoRA files the test writes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { startTinyLlamaKeel, type TinyLlamaKeel } from '../../testing/tiny-llamacpp-keel.js';
import { buildTinyLoraGguf } from '../../testing/tiny-lora-gguf.js';

let tiny: TinyLlamaKeel;
let server: ListeningServer;
let dir: string;
beforeAll(async () => {
  tiny = await startTinyLlamaKeel('keel-tune-adapter-cli-');
  server = await listen(tiny.keel.app);
  dir = await mkdtemp(path.join(tmpdir(), 'keel-tune-adapter-files-'));
  await writeFile(path.join(dir, 'Support-Tone.gguf'), buildTinyLoraGguf({ seed: 2, rank: 2, alpha: 4 }));
  await writeFile(path.join(dir, 'wide.gguf'), buildTinyLoraGguf({ embeddingLength: 128 }));
  await writeFile(path.join(tiny.dir, 'style.lora'), buildTinyLoraGguf({ seed: 8 }));
});
afterAll(async () => {
  await server?.close();
  await tiny?.close();
  await rm(dir, { recursive: true, force: true });
});

const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: tiny.keel.adminKey }, args);

describe('keel tune adapter', () => {
  it('adds, lists, shows and removes adapters', { timeout: 120_000 }, async () => {
    const added = await keelCli(
      'tune',
      'adapter',
      'add',
      path.join(dir, 'Support-Tone.gguf'),
      '--base',
      'llamacpp:tiny',
      '--hyper-parameter',
      'lr=0.0002',
      'epochs=3',
      '--dataset-name',
      'tickets',
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(
      /Registered llamacpp:tiny\+support-tone v1: rank 2, alpha 4, scale 1, 8 weights/,
    );

    const local = await keelCli(
      'tune',
      'adapter',
      'add',
      'style.lora',
      '--base',
      'tiny',
      '--name',
      'style',
      '--in-models-dir',
      '--scale',
      '0.5',
    );
    expect(local.code, local.err).toBe(0);
    expect(local.out).toContain('llamacpp:tiny+style v1');

    const list = await keelCli('--json', 'tune', 'adapter', 'list');
    expect(JSON.parse(list.out).map((a: { model: string }) => a.model)).toEqual([
      'llamacpp:tiny+style',
      'llamacpp:tiny+support-tone',
    ]);
    const shown = await keelCli('tune', 'adapter', 'show', 'support-tone');
    expect(shown.out).toContain('hyper-parameters: lr=0.0002, epochs=3');
    expect(shown.out).toContain('dataset: tickets');

    const removed = await keelCli('tune', 'adapter', 'remove', 'style', '--only-version', '1');
    expect(removed.out).toContain('Removed style version(s) 1.');
    expect((await keelCli('tune', 'adapter', 'show', 'style')).code).not.toBe(0);
  });

  it('reports an adapter for another base model with its code and exit status', async () => {
    const refused = await keelCli('tune', 'adapter', 'add', path.join(dir, 'wide.gguf'), '--base', 'tiny');
    expect(refused.code).toBe(65);
    expect(refused.err).toContain('adapter_base_mismatch');
    const noBase = await keelCli('tune', 'adapter', 'add', path.join(dir, 'wide.gguf'));
    expect(noBase.code).not.toBe(0);
    expect(noBase.err).toContain('--base');
  });
});
