/**
 * @module tuning/adapters/adapter-header
 * What a GGUF LoRA adapter says about itself, read from its header before llama.cpp ever sees it,
 * and whether it fits a base model. llama.cpp (`llama-adapter.cpp`) wants `general.type = adapter`,
 * `adapter.type = lora`, the base's `general.architecture`, and for each adapted weight `W`
 * (ggml shape `[in, out]`) a pair `W.lora_a` `[in, rank]` and `W.lora_b` `[rank, out]` — the token
 * embedding's pair is flipped (`lora_a` `[rank, n_vocab]`, `lora_b` `[n_embd, rank]`). Keel checks
 * the same things and answers with its own codes, so a wrong file is refused at registration.
 */
import path from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { type Issue, KeelError } from '../../core/errors.js';

export interface AdapterTensor {
  /** The base weight it adapts (`blk.0.attn_q.weight`). */
  target: string;
  a: number[];
  b: number[];
}

export interface AdapterHeader {
  architecture: string;
  /** `adapter.lora.alpha` (null when the file has none: llama.cpp then applies B·A unscaled). */
  alpha: number | null;
  /** The rank of the first pair (the usual case: one rank for all). */
  rank: number;
  tensors: AdapterTensor[];
  name: string | null;
}

export interface BaseModelShape {
  architecture: string;
  /** Tensor name → ggml dimensions. */
  tensors: Map<string, number[]>;
}

type GgufInfo = Awaited<ReturnType<typeof readGgufFileInfo>>;

async function readInfo(file: string, ignoreKeys: string[] = []): Promise<GgufInfo | undefined> {
  try {
    return await readGgufFileInfo(file, {
      sourceType: 'filesystem',
      logWarnings: false,
      ignoreKeys,
    });
  } catch {
    return undefined;
  }
}

const notLora = (file: string, issues: Issue[]) =>
  new KeelError('adapter_not_lora', `${path.basename(file)} is not a GGUF LoRA adapter.`, {
    issues,
    data: { hint: 'Convert the adapter with llama.cpp `convert_lora_to_gguf.py`.' },
  });

/** Reads an adapter's header; `adapter_not_lora` when the file is not a well-formed LoRA GGUF. */
export async function readAdapterHeader(file: string): Promise<AdapterHeader> {
  const info = await readInfo(file);
  if (!info) {
    throw notLora(file, [{ code: 'not_gguf', path: ['file'], message: 'not a readable GGUF file' }]);
  }
  const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = metadata.general ?? {};
  const adapter = metadata.adapter ?? {};
  const issues: Issue[] = [];
  if (general.type !== 'adapter') {
    issues.push({
      code: 'not_an_adapter',
      path: ['general.type'],
      message: `general.type is ${JSON.stringify(general.type ?? null)}, not "adapter"`,
    });
  } else if (adapter.type !== 'lora') {
    issues.push({
      code: 'not_lora',
      path: ['adapter.type'],
      message: `adapter.type is ${JSON.stringify(adapter.type ?? null)}, not "lora"`,
    });
  }
  if (issues.length > 0) throw notLora(file, issues);

  const halves = new Map<string, { a?: number[]; b?: number[] }>();
  for (const tensor of info.fullTensorInfo ?? []) {
    const match = /^(.*)\.lora_([ab])$/.exec(tensor.name);
    if (!match) {
      if (tensor.name.endsWith('_norm.weight')) continue; // llama.cpp skips these too
      issues.push({
        code: 'unexpected_tensor',
        path: [tensor.name],
        message: 'not a lora_a or lora_b tensor',
      });
      continue;
    }
    const pair = halves.get(match[1]!) ?? {};
    pair[match[2] as 'a' | 'b'] = tensor.dimensions.map(Number);
    halves.set(match[1]!, pair);
  }
  const tensors: AdapterTensor[] = [];
  for (const [target, pair] of halves) {
    if (!pair.a || !pair.b) {
      issues.push({
        code: 'unpaired_tensor',
        path: [target],
        message: 'lora_a and lora_b must come in pairs',
      });
    } else tensors.push({ target, a: pair.a, b: pair.b });
  }
  if (tensors.length === 0 && issues.length === 0) {
    issues.push({
      code: 'no_lora_tensors',
      path: ['tensors'],
      message: 'the file has no lora_a/lora_b pairs',
    });
  }
  if (issues.length > 0) throw notLora(file, issues);
  const first = tensors[0]!;
  const lora = adapter.lora as { alpha?: unknown } | undefined;
  return {
    architecture: String(general.architecture ?? 'unknown'),
    alpha: typeof lora?.alpha === 'number' ? lora.alpha : null,
    rank: first.target.endsWith('token_embd.weight') ? (first.a[0] ?? 0) : (first.a[1] ?? 0),
    tensors,
    name: typeof general.name === 'string' ? general.name : null,
  };
}

/** The architecture and tensor shapes of a base model, from its header (the vocabulary skipped). */
export async function readBaseModelShape(file: string): Promise<BaseModelShape> {
  const info = await readInfo(file, [
    'tokenizer.ggml.tokens',
    'tokenizer.ggml.token_type',
    'tokenizer.ggml.merges',
    'tokenizer.ggml.scores',
  ]);
  if (!info) {
    throw new KeelError('model_load_failed', `${path.basename(file)} is not a readable GGUF file.`, {
      data: { hint: 'Pull the base model again with `keel models pull`.' },
    });
  }
  const general = (info.metadata as unknown as { general?: { architecture?: unknown } }).general;
  return {
    architecture: String(general?.architecture ?? 'unknown'),
    tensors: new Map((info.fullTensorInfo ?? []).map((t) => [t.name, t.dimensions.map(Number)])),
  };
}

/**
 * Throws `adapter_architecture_mismatch` when the architectures differ, and `adapter_base_mismatch`
 * when a target weight is missing from the base or the pair's shapes do not fit it (the adapter
 * was made for another model of the same architecture).
 */
export function checkAdapterFits(adapter: AdapterHeader, base: BaseModelShape, baseModel: string): void {
  if (adapter.architecture !== base.architecture) {
    throw new KeelError(
      'adapter_architecture_mismatch',
      `The adapter is for the ${adapter.architecture} architecture; ${baseModel} is ${base.architecture}.`,
      {
        issues: [
          {
            code: 'architecture_mismatch',
            path: ['general.architecture'],
            message: `${adapter.architecture} is not ${base.architecture}`,
          },
        ],
      },
    );
  }
  const issues: Issue[] = [];
  for (const { target, a, b } of adapter.tensors) {
    const weight = base.tensors.get(target);
    if (!weight) {
      issues.push({ code: 'missing_base_tensor', path: [target], message: `${baseModel} has no ${target}` });
      continue;
    }
    const embedding = target.endsWith('token_embd.weight');
    const fits = embedding
      ? weight[0] === b[1] && weight[1] === a[1]
      : weight[0] === a[0] && weight[1] === b[1] && a[1] === b[0];
    if (!fits) {
      issues.push({
        code: 'shape_mismatch',
        path: [target],
        message: `A ${JSON.stringify(a)} and B ${JSON.stringify(b)} do not fit ${JSON.stringify(weight)}`,
      });
    }
  }
  if (issues.length > 0) {
    throw new KeelError(
      'adapter_base_mismatch',
      `The adapter was made for another base model: ${issues.length} of its ${adapter.tensors.length} weights do not fit ${baseModel}.`,
      { issues },
    );
  }
}
