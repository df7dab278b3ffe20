/**
 * @module testing/tiny-lora-gguf
 * Writes a tiny but real GGUF LoRA adapter for the tiny model (see tiny-gguf.ts), the way
 * llama.cpp's `convert_lora_to_gguf.py` lays one out: `general.type = adapter`,
 * `adapter.type = lora`, `adapter.lora.alpha`, the base's `general.architecture`, and for each
 * adapted weight `W` (ggml shape `[in, out]`) a pair `W.lora_a` `[in, rank]` and `W.lora_b`
 * `[rank, out]`. llama.cpp adds `scale · alpha / rank · B(A x)` to `W x`.
 *
 * Seeded and deterministic. `zeroB` writes B matrices of zeros: the adapter then changes nothing,
 * which is how a test tells "loaded and applied" from "loaded and ignored". `embeddingLength` and
 * `architecture` write adapters for another base model, for the refusal tests.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  createRandom,
  GGML_TYPE,
  type MetadataValue,
  serializeGguf,
  type TensorSpec,
  tinyGgufShape,
  writeAtomically,
} from './tiny-gguf.js';

/** The tiny model's per-block weights an adapter may target. */
export type TinyLoraTarget =
  | 'attn_q'
  | 'attn_k'
  | 'attn_v'
  | 'attn_output'
  | 'ffn_gate'
  | 'ffn_down'
  | 'ffn_up';

export interface TinyLoraOptions {
  /** PRNG seed; the same options write the same bytes. Default 7. */
  seed?: number;
  /** LoRA rank r. Default 4. */
  rank?: number;
  /** `adapter.lora.alpha`. Default 8 (so alpha / rank = 2). */
  alpha?: number;
  /** Weights adapted in every block. Default attention q and v, and the feed-forward up and down. */
  targets?: TinyLoraTarget[];
  /** Uniform range of A and B entries (±). Default 0.5. */
  magnitude?: number;
  /** B matrices of zeros: the adapter is applied but adds nothing. */
  zeroB?: boolean;
  /** `general.architecture`. Default the tiny model's (`llama`). */
  architecture?: string;
  /** n_embd the adapter was made for. Default the tiny model's (64): another value is another base. */
  embeddingLength?: number;
  /** `adapter.type`. Default `lora`. */
  adapterType?: string;
  /** `general.name`. Default `keel-tiny-lora`. */
  name?: string;
}

const defaultTargets: TinyLoraTarget[] = ['attn_q', 'attn_v', 'ffn_up', 'ffn_down'];

/** ggml shape `[in, out]` of a tiny-model weight, for a model with `nEmbd` (the rest as the tiny one). */
function weightDims(target: TinyLoraTarget, nEmbd: number): [number, number] {
  const nEmbdKv = (nEmbd / tinyGgufShape.headCount) * tinyGgufShape.headCountKv;
  const nFf = tinyGgufShape.feedForwardLength;
  switch (target) {
    case 'attn_q':
    case 'attn_output':
      return [nEmbd, nEmbd];
    case 'attn_k':
    case 'attn_v':
      return [nEmbd, nEmbdKv];
    case 'ffn_gate':
    case 'ffn_up':
      return [nEmbd, nFf];
    case 'ffn_down':
      return [nFf, nEmbd];
  }
}

/** Builds the adapter in memory. */
export function buildTinyLoraGguf(options: TinyLoraOptions = {}): Uint8Array {
  const rank = options.rank ?? 4;
  const magnitude = options.magnitude ?? 0.5;
  const nEmbd = options.embeddingLength ?? tinyGgufShape.embeddingLength;
  const random = createRandom(options.seed ?? 7);
  const matrix = (dims: [number, number], zero: boolean) => {
    const count = dims[0] * dims[1];
    const bytes = new Uint8Array(count * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < count; i++) {
      // Draw even for zeros, so that zeroB changes B alone and A stays the same bytes.
      const value = (random() * 2 - 1) * magnitude;
      view.setFloat32(i * 4, zero ? 0 : value, true);
    }
    return bytes;
  };
  const tensors: TensorSpec[] = [];
  for (let block = 0; block < tinyGgufShape.blockCount; block++) {
    for (const target of options.targets ?? defaultTargets) {
      const [input, output] = weightDims(target, nEmbd);
      const base = `blk.${block}.${target}.weight`;
      const a: [number, number] = [input, rank];
      const b: [number, number] = [rank, output];
      tensors.push({ name: `${base}.lora_a`, dims: a, type: GGML_TYPE.F32, data: matrix(a, false) });
      tensors.push({
        name: `${base}.lora_b`,
        dims: b,
        type: GGML_TYPE.F32,
        data: matrix(b, options.zeroB === true),
      });
    }
  }
  const metadata: [string, MetadataValue][] = [
    ['general.architecture', { type: 'string', value: options.architecture ?? tinyGgufShape.architecture }],
    ['general.type', { type: 'string', value: 'adapter' }],
    ['general.name', { type: 'string', value: options.name ?? 'keel-tiny-lora' }],
    ['general.alignment', { type: 'uint32', value: 32 }],
    ['adapter.type', { type: 'string', value: options.adapterType ?? 'lora' }],
    ['adapter.lora.alpha', { type: 'float32', value: options.alpha ?? 8 }],
  ];
  return serializeGguf(metadata, tensors);
}

/**
 * Writes the adapter to `file` (directories created as needed).
 *
 * @example
 * await writeTinyLoraGguf(path.join(dir, 'tone.gguf'), { seed: 3, rank: 2 });
 */
export async function writeTinyLoraGguf(
  file: string,
  options: TinyLoraOptions = {},
): Promise<{ file: string; sizeBytes: number }> {
  const bytes = buildTinyLoraGguf(options);
  await mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, bytes);
  return { file, sizeBytes: bytes.length };
}
