/**
 * @module testing/tiny-llamacpp-keel
 * A test Keel whose only provider is llama.cpp serving the tiny random-weight GGUF
 * (`llamacpp:tiny`), set up for a 2-core CI machine: one thread, one sequence, one loaded model and
 * a small context, in a temporary models directory removed by `close()`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLlamaCppProvider } from '../models/providers/llamacpp/index.js';
import { createTestKeel, type TestKeel } from './test-keel.js';
import { ensureTinyGguf } from './tiny-gguf.js';

export interface TinyLlamaKeel {
  keel: TestKeel;
  /** The models directory holding `tiny.gguf`. */
  dir: string;
  close(): Promise<void>;
}

export async function startTinyLlamaKeel(
  prefix: string,
  options: { contextSize?: number } = {},
): Promise<TinyLlamaKeel> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await ensureTinyGguf(dir);
  const keel = await createTestKeel({
    providers: [
      createLlamaCppProvider({
        modelsDir: dir,
        threads: 1,
        contextSize: options.contextSize ?? 512,
        sequences: 1,
        maxLoadedModels: 1,
        idleUnloadSeconds: 60,
      }),
    ],
  });
  return {
    keel,
    dir,
    async close() {
      await keel.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
