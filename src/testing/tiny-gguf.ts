/**
 * @module testing/tiny-gguf
 * Writes a tiny but real GGUF v3 model in pure TypeScript, so that tests (and offline smoke tests
 * through `keel models make-test-model`) run llama.cpp end to end without downloading weights.
 *
 * The model is a llama-architecture transformer (2 layers, n_embd 64, 4 heads, 2 KV heads, ff 128)
 * with random weights from a seeded PRNG — the same seed gives the same bytes — a byte-level BPE
 * tokenizer in GPT-2 form (256 byte tokens, merges learnt from a small English + Korean corpus, so
 * any UTF-8 text round-trips), ChatML special tokens and a ChatML chat template. It writes nonsense
 * quickly (thousands of tokens per second on one thread), which is all a test of the plumbing needs.
 *
 * Layout follows ggml's `docs/gguf.md`: header, metadata key/values, tensor infos, padding to
 * `general.alignment`, tensor data (each tensor aligned).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface TinyGgufOptions {
  /** PRNG seed for the weights; the same seed writes the same file. Default 42. */
  seed?: number;
  /** `llama.context_length`, the training context the file declares. Default 2048. */
  contextLength?: number;
  /** `general.name`. Default `keel-tiny`. */
  name?: string;
}

/** The shape of the tiny model, for tests that check what llama.cpp reports. */
export const tinyGgufShape = {
  architecture: 'llama',
  blockCount: 2,
  embeddingLength: 64,
  headCount: 4,
  headCountKv: 2,
  feedForwardLength: 128,
  defaultContextLength: 2048,
} as const;

/** Special tokens, in vocabulary order after the byte and merged tokens. */
export const tinyGgufSpecialTokens = ['<s>', '</s>', '<|im_start|>', '<|im_end|>'] as const;

export const tinyGgufChatTemplate =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// Enough text for the merges to cover common English, JSON punctuation and Korean syllables;
// anything else falls back to byte tokens.
const mergeCorpus = [
  'The quick brown fox jumps over the lazy dog. This is a test of the tokenizer and the model.',
  'Keel is an open platform for generative AI: models, prompts, data and governance in one place.',
  'Summarize the document, answer the question, extract the entities and classify the text.',
  '{"name": "value", "items": [true, false, null], "score": 0.5, "text": "hello world"}',
  '안녕하세요. 한국어 문장을 토큰으로 나누고 다시 합칩니다. 모델은 생성하고 요약하고 답합니다.',
  '대한민국의 수도는 서울입니다. 데이터와 문서를 검색하고 질문에 답변합니다.',
].join('\n');
const mergeCount = 160;

const GGUF_TYPE = { uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9 } as const;
export const GGML_TYPE = { F32: 0, F16: 1 } as const;
const TOKEN_TYPE = { normal: 1, control: 3 } as const;
const ALIGNMENT = 32;

/** GPT-2's reversible map from bytes to printable code points (`bytes_to_unicode`). */
export function byteToUnicode(): string[] {
  const direct = new Set<number>();
  for (let b = 0x21; b <= 0x7e; b++) direct.add(b);
  for (let b = 0xa1; b <= 0xac; b++) direct.add(b);
  for (let b = 0xae; b <= 0xff; b++) direct.add(b);
  const table: string[] = [];
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(direct.has(b) ? b : 256 + shifted++);
  }
  return table;
}

export interface TinyVocabulary {
  /** Token texts in GPT-2 byte-level form, indexed by token id. */
  tokens: string[];
  tokenTypes: number[];
  /** `"left right"` pairs, highest priority first. */
  merges: string[];
  bos: number;
  eos: number;
}

/** Builds the byte-level BPE vocabulary: 256 byte tokens, learnt merges, special tokens. */
export function buildTinyVocabulary(): TinyVocabulary {
  const byteMap = byteToUnicode();
  const tokens = [...byteMap];
  const encoder = new TextEncoder();
  // The GPT-2 pre-tokenizer split, so that merges never cross word boundaries.
  const words =
    mergeCorpus.match(/'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu) ?? [];
  let sequences = words.map((word) => [...encoder.encode(word)].map((byte) => byteMap[byte]!));
  const merges: string[] = [];
  for (let round = 0; round < mergeCount; round++) {
    const counts = new Map<string, number>();
    for (const sequence of sequences) {
      for (let i = 0; i + 1 < sequence.length; i++) {
        const pair = `${sequence[i]} ${sequence[i + 1]}`;
        counts.set(pair, (counts.get(pair) ?? 0) + 1);
      }
    }
    let best: string | undefined;
    let bestCount = 1;
    for (const [pair, count] of counts) {
      // Ties break on the pair text so that the vocabulary never depends on Map order.
      if (count > bestCount || (count === bestCount && best !== undefined && pair < best)) {
        best = pair;
        bestCount = count;
      }
    }
    if (!best) break;
    const [left, right] = best.split(' ') as [string, string];
    merges.push(best);
    tokens.push(left + right);
    sequences = sequences.map((sequence) => {
      const merged: string[] = [];
      for (let i = 0; i < sequence.length; i++) {
        if (i + 1 < sequence.length && sequence[i] === left && sequence[i + 1] === right) {
          merged.push(left + right);
          i++;
        } else merged.push(sequence[i]!);
      }
      return merged;
    });
  }
  const tokenTypes: number[] = tokens.map(() => TOKEN_TYPE.normal);
  const specialStart = tokens.length;
  for (const special of tinyGgufSpecialTokens) {
    tokens.push(special);
    tokenTypes.push(TOKEN_TYPE.control);
  }
  return { tokens, tokenTypes, merges, bos: specialStart, eos: specialStart + 1 };
}

/** mulberry32: a tiny, fast, seedable PRNG (uniform in [0, 1)). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const float32Scratch = new Float32Array(1);
const uint32Scratch = new Uint32Array(float32Scratch.buffer);

/** IEEE 754 binary32 → binary16 with round-to-nearest-even (weights are small and finite). */
function toHalf(value: number): number {
  float32Scratch[0] = value;
  const bits = uint32Scratch[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - exponent;
    let half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  if (exponent >= 31) return sign | 0x7c00;
  let half = (exponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

export interface TensorSpec {
  name: string;
  /** ggml order: ne[0] (the fastest-varying dimension) first. */
  dims: number[];
  type: (typeof GGML_TYPE)[keyof typeof GGML_TYPE];
  data: Uint8Array;
}

export type MetadataValue =
  | { type: 'uint32'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] }
  | { type: 'int32[]'; value: number[] };

/** Little-endian byte sink that grows as needed. */
class ByteWriter {
  #buffer = new Uint8Array(1 << 16);
  #view = new DataView(this.#buffer.buffer);
  length = 0;
  readonly #encoder = new TextEncoder();

  #reserve(bytes: number): void {
    if (this.length + bytes <= this.#buffer.length) return;
    let size = this.#buffer.length;
    while (size < this.length + bytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buffer.subarray(0, this.length));
    this.#buffer = next;
    this.#view = new DataView(next.buffer);
  }
  u8(value: number) {
    this.#reserve(1);
    this.#view.setUint8(this.length, value);
    this.length += 1;
  }
  u32(value: number) {
    this.#reserve(4);
    this.#view.setUint32(this.length, value, true);
    this.length += 4;
  }
  i32(value: number) {
    this.#reserve(4);
    this.#view.setInt32(this.length, value, true);
    this.length += 4;
  }
  u64(value: number) {
    this.#reserve(8);
    this.#view.setBigUint64(this.length, BigInt(value), true);
    this.length += 8;
  }
  f32(value: number) {
    this.#reserve(4);
    this.#view.setFloat32(this.length, value, true);
    this.length += 4;
  }
  string(value: string) {
    const bytes = this.#encoder.encode(value);
    this.u64(bytes.length);
    this.bytes(bytes);
  }
  bytes(bytes: Uint8Array) {
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.length);
    this.length += bytes.length;
  }
  padTo(alignment: number) {
    while (this.length % alignment !== 0) this.u8(0);
  }
  result(): Uint8Array {
    return this.#buffer.slice(0, this.length);
  }
}

function writeMetadata(writer: ByteWriter, key: string, entry: MetadataValue): void {
  writer.string(key);
  switch (entry.type) {
    case 'uint32':
      writer.u32(GGUF_TYPE.uint32);
      writer.u32(entry.value);
      break;
    case 'float32':
      writer.u32(GGUF_TYPE.float32);
      writer.f32(entry.value);
      break;
    case 'bool':
      writer.u32(GGUF_TYPE.bool);
      writer.u8(entry.value ? 1 : 0);
      break;
    case 'string':
      writer.u32(GGUF_TYPE.string);
      writer.string(entry.value);
      break;
    case 'string[]':
      writer.u32(GGUF_TYPE.array);
      writer.u32(GGUF_TYPE.string);
      writer.u64(entry.value.length);
      for (const item of entry.value) writer.string(item);
      break;
    case 'int32[]':
      writer.u32(GGUF_TYPE.array);
      writer.u32(GGUF_TYPE.int32);
      writer.u64(entry.value.length);
      for (const item of entry.value) writer.i32(item);
      break;
  }
}

/** Builds the tiny model in memory. Deterministic for a given seed. */
export function buildTinyGguf(options: TinyGgufOptions = {}): Uint8Array {
  const seed = options.seed ?? 42;
  const contextLength = options.contextLength ?? tinyGgufShape.defaultContextLength;
  const { embeddingLength: nEmbd, headCount, headCountKv, feedForwardLength: nFf } = tinyGgufShape;
  const headDim = nEmbd / headCount;
  const nEmbdKv = headDim * headCountKv;
  const vocabulary = buildTinyVocabulary();
  const nVocab = vocabulary.tokens.length;
  const random = createRandom(seed);

  const halfMatrix = (dims: number[], scale: number, zeroRows: ReadonlySet<number> = new Set()) => {
    const count = dims.reduce((a, b) => a * b, 1);
    const bytes = new Uint8Array(count * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < count; i++) {
      const value = (random() * 2 - 1) * scale;
      // Rows are ne[1] indices; zero rows make a token's logit exactly 0 under tied output weights.
      view.setUint16(i * 2, zeroRows.has(Math.floor(i / dims[0]!)) ? 0 : toHalf(value), true);
    }
    return bytes;
  };
  const ones = (length: number) => {
    const bytes = new Uint8Array(length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < length; i++) view.setFloat32(i * 4, 1, true);
    return bytes;
  };

  // Special tokens get zero embeddings: with the output tied to token_embd their logit is 0 while
  // ordinary tokens spread around it, so the random model seldom ends or emits control tokens on
  // its own — tests control length with max_new_tokens, grammars and stop sequences instead.
  const specialIds = new Set(tinyGgufSpecialTokens.map((_, index) => vocabulary.bos + index));
  const projection = 1 / Math.sqrt(nEmbd);
  const tensors: TensorSpec[] = [
    {
      name: 'token_embd.weight',
      dims: [nEmbd, nVocab],
      type: GGML_TYPE.F16,
      data: halfMatrix([nEmbd, nVocab], 0.3, specialIds),
    },
    { name: 'output_norm.weight', dims: [nEmbd], type: GGML_TYPE.F32, data: ones(nEmbd) },
  ];
  for (let block = 0; block < tinyGgufShape.blockCount; block++) {
    const matrix = (name: string, dims: number[], scale = projection) =>
      tensors.push({
        name: `blk.${block}.${name}`,
        dims,
        type: GGML_TYPE.F16,
        data: halfMatrix(dims, scale),
      });
    tensors.push({
      name: `blk.${block}.attn_norm.weight`,
      dims: [nEmbd],
      type: GGML_TYPE.F32,
      data: ones(nEmbd),
    });
    matrix('attn_q.weight', [nEmbd, nEmbd]);
    matrix('attn_k.weight', [nEmbd, nEmbdKv]);
    matrix('attn_v.weight', [nEmbd, nEmbdKv]);
    matrix('attn_output.weight', [nEmbd, nEmbd]);
    tensors.push({
      name: `blk.${block}.ffn_norm.weight`,
      dims: [nEmbd],
      type: GGML_TYPE.F32,
      data: ones(nEmbd),
    });
    matrix('ffn_gate.weight', [nEmbd, nFf]);
    matrix('ffn_down.weight', [nFf, nEmbd], 1 / Math.sqrt(nFf));
    matrix('ffn_up.weight', [nEmbd, nFf]);
  }

  const metadata: [string, MetadataValue][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: options.name ?? 'keel-tiny' }],
    ['general.alignment', { type: 'uint32', value: ALIGNMENT }],
    // 1 = LLAMA_FTYPE_MOSTLY_F16
    ['general.file_type', { type: 'uint32', value: 1 }],
    ['llama.context_length', { type: 'uint32', value: contextLength }],
    ['llama.embedding_length', { type: 'uint32', value: nEmbd }],
    ['llama.block_count', { type: 'uint32', value: tinyGgufShape.blockCount }],
    ['llama.feed_forward_length', { type: 'uint32', value: nFf }],
    ['llama.attention.head_count', { type: 'uint32', value: headCount }],
    ['llama.attention.head_count_kv', { type: 'uint32', value: headCountKv }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'uint32', value: headDim }],
    ['llama.rope.freq_base', { type: 'float32', value: 10000 }],
    ['llama.vocab_size', { type: 'uint32', value: nVocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'gpt-2' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocabulary.tokens }],
    ['tokenizer.ggml.token_type', { type: 'int32[]', value: vocabulary.tokenTypes }],
    ['tokenizer.ggml.merges', { type: 'string[]', value: vocabulary.merges }],
    ['tokenizer.ggml.bos_token_id', { type: 'uint32', value: vocabulary.bos }],
    ['tokenizer.ggml.eos_token_id', { type: 'uint32', value: vocabulary.eos }],
    ['tokenizer.ggml.padding_token_id', { type: 'uint32', value: vocabulary.eos }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: tinyGgufChatTemplate }],
  ];

  return serializeGguf(metadata, tensors);
}

/**
 * A GGUF v3 file of these key/values and tensors: header, metadata, tensor infos, padding to
 * `general.alignment` (32), then each tensor's data, aligned.
 */
export function serializeGguf(metadata: [string, MetadataValue][], tensors: TensorSpec[]): Uint8Array {
  const writer = new ByteWriter();
  writer.bytes(new TextEncoder().encode('GGUF'));
  writer.u32(3);
  writer.u64(tensors.length);
  writer.u64(metadata.length);
  for (const [key, value] of metadata) writeMetadata(writer, key, value);
  let offset = 0;
  for (const tensor of tensors) {
    writer.string(tensor.name);
    writer.u32(tensor.dims.length);
    for (const dim of tensor.dims) writer.u64(dim);
    writer.u32(tensor.type);
    writer.u64(offset);
    offset += Math.ceil(tensor.data.length / ALIGNMENT) * ALIGNMENT;
  }
  writer.padTo(ALIGNMENT);
  for (const tensor of tensors) {
    writer.bytes(tensor.data);
    writer.padTo(ALIGNMENT);
  }
  return writer.result();
}

/**
 * Writes the tiny model to `file` (directories created as needed).
 *
 * @example
 * await writeTinyGguf(path.join(dataDir, 'models', 'tiny.gguf'), { seed: 7 });
 */
export async function writeTinyGguf(
  file: string,
  options: TinyGgufOptions = {},
): Promise<{ file: string; sizeBytes: number }> {
  const bytes = buildTinyGguf(options);
  await mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, bytes);
  return { file, sizeBytes: bytes.length };
}

/**
 * Returns `<dir>/<name>.gguf`, writing the tiny model there first unless it already exists. Safe
 * when several test workers race: each writes a temporary file and renames it into place.
 *
 * @example
 * const modelFile = await ensureTinyGguf(tmpDir); // → <tmpDir>/tiny.gguf
 */
export async function ensureTinyGguf(dir: string, options: TinyGgufOptions & { fileName?: string } = {}) {
  const file = path.join(dir, options.fileName ?? 'tiny.gguf');
  if (!existsSync(file)) await writeTinyGguf(file, options);
  return file;
}

/** Writes a temporary file and renames it into place, so readers never see half a file. */
export async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
