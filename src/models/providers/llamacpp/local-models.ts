/**
 * @module models/providers/llamacpp/local-models
 * The models directory as a list of models: every `*.gguf` file is a model named by its stem
 * (split files `name-00001-of-00003.gguf` count once, as `name`). Facts come from the GGUF header
 * alone — architecture, context length, size, quantisation — so listing never loads weights.
 */
import { existsSync, readdirSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { GgufFileType, readGgufFileInfo } from 'node-llama-cpp';
import { KeelError } from '../../../core/errors.js';
import type { ModelInfo } from '../../../spec/provider.js';

export interface LocalModelFile {
  modelId: string;
  /** The file to load (the first part of a split model). */
  file: string;
  /** All parts together. */
  sizeBytes: number;
  mtimeMs: number;
}

export interface ModelHeader {
  architecture: string;
  displayName?: string;
  contextLength?: number;
  embeddingLength?: number;
  parameters?: number;
  quantization?: string;
  hasChatTemplate: boolean;
  kinds: ModelInfo['kinds'];
  /** `general.type = adapter`: not a model but adapter weights (`lora`), served on a base model. */
  adapterType?: string;
}

const splitPattern = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;
const modelIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// Encoder-only architectures: they embed (or rank), they do not generate.
const encoderArchitectures = new Set([
  'bert',
  'nomic-bert',
  'nomic-bert-moe',
  'jina-bert-v2',
  'jina-bert-v3',
  'modern-bert',
  'neo-bert',
  't5encoder',
]);
const RANK_POOLING = 4;

/** Lists the models in `dir` (an absent directory has none). */
export async function scanModelsDir(dir: string): Promise<LocalModelFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const models = new Map<string, LocalModelFile>();
  for (const name of names.sort()) {
    if (!name.toLowerCase().endsWith('.gguf')) continue;
    const split = splitPattern.exec(name);
    const modelId = split ? split[1]! : name.slice(0, -'.gguf'.length);
    if (!modelIdPattern.test(modelId)) continue;
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path.join(dir, name));
    } catch {
      continue; // removed while listing
    }
    if (!info.isFile()) continue;
    const existing = models.get(modelId);
    if (existing) {
      existing.sizeBytes += info.size;
      if (split?.[2] === '00001') existing.file = path.join(dir, name);
      continue;
    }
    models.set(modelId, {
      modelId,
      file: path.join(dir, name),
      sizeBytes: info.size,
      mtimeMs: info.mtimeMs,
    });
  }
  return [...models.values()];
}

/** The file for `modelId`, or undefined. Synchronous: `languageModel()` must answer at once. */
export function modelFileFor(dir: string, modelId: string): string | undefined {
  if (!modelIdPattern.test(modelId)) return undefined;
  const single = path.join(dir, `${modelId}.gguf`);
  if (existsSync(single)) return single;
  try {
    const first = readdirSync(dir).find((name) => {
      const split = splitPattern.exec(name);
      return split?.[1] === modelId && split[2] === '00001';
    });
    return first ? path.join(dir, first) : undefined;
  } catch {
    return undefined;
  }
}

const headerCache = new Map<string, { stamp: string; header: Promise<ModelHeader> }>();

/**
 * Reads the facts Keel shows about a model from its GGUF header (cached until the file changes).
 * Throws `model_load_failed` when the header cannot be parsed.
 */
export async function readModelHeader(file: string): Promise<ModelHeader> {
  const info = await stat(file);
  const stamp = `${info.size}:${info.mtimeMs}`;
  const cached = headerCache.get(file);
  if (cached?.stamp === stamp) return cached.header;
  const header = parseHeader(file);
  headerCache.set(file, { stamp, header });
  header.catch(() => headerCache.delete(file));
  return header;
}

/** Counts no real model comes near; a header claiming more is corrupt (and would stall the reader). */
const MAX_HEADER_COUNT = 1_000_000n;

/** Checks the fixed start of a GGUF header: magic, version, tensor and key counts. */
async function checkHeaderStart(file: string): Promise<void> {
  const corrupt = (reason: string) =>
    new KeelError('model_load_failed', `${path.basename(file)} is not a readable GGUF file: ${reason}.`, {
      data: { file, hint: 'Download it again with `keel models pull`, or remove it.' },
    });
  const handle = await open(file, 'r');
  try {
    const start = Buffer.alloc(24);
    const { bytesRead } = await handle.read(start, 0, 24, 0);
    if (bytesRead < 24) throw corrupt(`only ${bytesRead} bytes`);
    if (start.toString('latin1', 0, 4) !== 'GGUF') throw corrupt('it does not start with the GGUF magic');
    const version = start.readUInt32LE(4);
    if (version < 2 || version > 3) throw corrupt(`unsupported GGUF version ${version}`);
    if (start.readBigUInt64LE(8) > MAX_HEADER_COUNT || start.readBigUInt64LE(16) > MAX_HEADER_COUNT) {
      throw corrupt('its header claims an impossible number of tensors or keys');
    }
  } finally {
    await handle.close();
  }
}

async function parseHeader(file: string): Promise<ModelHeader> {
  await checkHeaderStart(file);
  let fileInfo: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    fileInfo = await readGgufFileInfo(file, {
      sourceType: 'filesystem',
      logWarnings: false,
      spliceSplitFiles: true,
      // The vocabulary is most of a header; none of it is needed here.
      ignoreKeys: [
        'tokenizer.ggml.tokens',
        'tokenizer.ggml.token_type',
        'tokenizer.ggml.merges',
        'tokenizer.ggml.scores',
      ],
    });
  } catch (error) {
    throw new KeelError(
      'model_load_failed',
      `${path.basename(file)} is not a readable GGUF file: ${(error as Error).message}`,
      { cause: error, data: { file, hint: 'Download it again with `keel models pull`, or remove it.' } },
    );
  }
  if (fileInfo.splicedParts <= 1) {
    // A file cut short (an interrupted copy) still has a readable start: check that what the
    // header describes lies inside the file.
    const size = (await stat(file)).size;
    const ends = [
      Number(fileInfo.infoEndOffset ?? 0),
      ...(fileInfo.fullTensorInfo ?? []).map((tensor) => Number(tensor.fileOffset)),
    ];
    if (ends.some((end) => end > size)) {
      throw new KeelError(
        'model_load_failed',
        `${path.basename(file)} is truncated: its header describes more data than the file's ${size} bytes.`,
        { data: { file, hint: 'Download it again with `keel models pull`, or remove it.' } },
      );
    }
  }
  const metadata = fileInfo.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = metadata.general ?? {};
  const architecture = String(general.architecture ?? 'unknown');
  const arch = (fileInfo.architectureMetadata ?? {}) as Record<string, unknown>;
  const fileType = typeof general.file_type === 'number' ? GgufFileType[general.file_type] : undefined;
  const parameters = fileInfo.fullTensorInfo?.reduce(
    (sum, tensor) => sum + tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1),
    0,
  );
  const poolingType = typeof arch.pooling_type === 'number' ? arch.pooling_type : undefined;
  const adapterType = general.type === 'adapter' ? String(metadata.adapter?.type ?? 'unknown') : undefined;
  const kinds: ModelInfo['kinds'] = adapterType
    ? []
    : poolingType === RANK_POOLING
      ? ['rerank']
      : encoderArchitectures.has(architecture)
        ? ['embedding']
        : ['language', 'embedding'];
  return {
    architecture,
    ...(typeof general.name === 'string' ? { displayName: general.name } : {}),
    ...(typeof arch.context_length === 'number' ? { contextLength: arch.context_length } : {}),
    ...(typeof arch.embedding_length === 'number' ? { embeddingLength: arch.embedding_length } : {}),
    ...(parameters ? { parameters } : {}),
    ...(fileType ? { quantization: fileType.replace(/^(MOSTLY|ALL)_/, '') } : {}),
    hasChatTemplate: typeof metadata.tokenizer?.chat_template === 'string',
    kinds,
    ...(adapterType ? { adapterType } : {}),
  };
}
