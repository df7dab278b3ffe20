/**
 * @module models/providers/onnx/onnx-provider
 * The `onnx` provider: every subfolder of a models folder that holds a BERT-like ONNX export
 * (`config.json`, `tokenizer.json`, `onnx/model.onnx`) is an embedding model `<name>:<subfolder>`,
 * run in-process by @huggingface/transformers. Nothing is ever downloaded. A folder that is missing
 * is `model_not_found`; one that is incomplete or does not load is `invalid_config`.
 *
 * @example
 * const registry = new ProviderRegistry([createOnnxProvider({ modelsDir: '.keel/models/onnx' })]);
 * const model = registry.embeddingModel('onnx:minilm');
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../../../core/errors.js';
import { loadPipeline, type Pipeline } from '../../../guardrails/index.js';
import type { EmbeddingModelV1 } from '../../../spec/embedding-model.js';
import type { LanguageModelV1 } from '../../../spec/language-model.js';
import type { ModelInfo, ProviderV1 } from '../../../spec/provider.js';
import type { RerankModelV1 } from '../../../spec/rerank-model.js';
import { OnnxEmbeddingModel } from './onnx-embedding-model.js';

export interface OnnxProviderOptions {
  /** Provider name (default `onnx`). */
  name?: string;
  /** Folder of model subfolders. */
  modelsDir: string;
}

/** The files an export must have, relative to its folder. */
export const onnxExportFiles = ['config.json', 'tokenizer.json', path.join('onnx', 'model.onnx')] as const;

/** A folder name, never a path: no separators, no `..`. */
const modelIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

interface ExportConfig {
  hidden_size?: number;
  model_type?: string;
}

function readExportConfig(directory: string): ExportConfig | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path.join(directory, 'config.json'), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as ExportConfig) : undefined;
  } catch {
    return undefined;
  }
}

export function createOnnxProvider(options: OnnxProviderOptions): ProviderV1 {
  const name = options.name ?? 'onnx';
  const modelsDir = path.resolve(options.modelsDir);
  const pipelines = new Map<string, Promise<Pipeline>>();
  const load = (directory: string): Promise<Pipeline> => {
    let loading = pipelines.get(directory);
    if (!loading) {
      loading = loadPipeline(
        'feature-extraction',
        directory,
        `providers.${name} model ${path.basename(directory)}`,
      );
      // A failed load is not cached: fixing the folder and calling again works.
      loading.catch(() => pipelines.delete(directory));
      pipelines.set(directory, loading);
    }
    return loading;
  };

  const isDirectory = (candidate: string) => existsSync(candidate) && statSync(candidate).isDirectory();

  return {
    specificationVersion: 'v1',
    name,
    type: 'onnx',
    languageModel(modelId: string): LanguageModelV1 {
      throw new KeelError(
        'model_not_found',
        `Model ${name}:${modelId} not found: the onnx provider only embeds.`,
      );
    },
    embeddingModel(modelId: string): EmbeddingModelV1 {
      const directory = path.join(modelsDir, modelId);
      if (!modelIdPattern.test(modelId) || !isDirectory(directory)) {
        throw new KeelError(
          'model_not_found',
          `Model ${name}:${modelId} not found: the onnx provider offers one model per folder of its models directory.`,
          { data: { provider: name, modelId } },
        );
      }
      const missing = onnxExportFiles.filter((file) => !existsSync(path.join(directory, file)));
      const config = missing.includes('config.json') ? undefined : readExportConfig(directory);
      if (missing.length > 0 || !config) {
        throw new KeelError(
          'invalid_config',
          missing.length > 0
            ? `Model ${name}:${modelId} is not a complete ONNX export: it lacks ${missing.join(', ')}.`
            : `Model ${name}:${modelId} has a config.json that is not a JSON object.`,
          {
            data: {
              provider: name,
              modelId,
              hint: 'Export the encoder with config.json, tokenizer.json and onnx/model.onnx (e.g. optimum-cli export onnx --task feature-extraction).',
            },
          },
        );
      }
      return new OnnxEmbeddingModel({
        provider: name,
        modelId,
        directory,
        ...(typeof config.hidden_size === 'number' ? { dimensions: config.hidden_size } : {}),
        load,
      });
    },
    rerankModel(): RerankModelV1 {
      throw new KeelError('not_implemented', 'The onnx provider has no rerank model.');
    },
    async listModels(): Promise<ModelInfo[]> {
      if (!isDirectory(modelsDir)) return [];
      const entries = await readdir(modelsDir, { withFileTypes: true });
      const models: ModelInfo[] = [];
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isDirectory() || !modelIdPattern.test(entry.name)) continue;
        const directory = path.join(modelsDir, entry.name);
        if (!onnxExportFiles.every((file) => existsSync(path.join(directory, file)))) continue;
        const config = readExportConfig(directory);
        models.push({
          id: `${name}:${entry.name}`,
          provider: name,
          modelId: entry.name,
          kinds: ['embedding'],
          tasks: ['embed'],
          details: {
            format: 'onnx',
            ...(config?.model_type ? { family: config.model_type } : {}),
            ...(typeof config?.hidden_size === 'number' ? { dimensions: config.hidden_size } : {}),
          },
        });
      }
      return models;
    },
    async status() {
      return isDirectory(modelsDir)
        ? { reachable: true, latencyMs: 0 }
        : { reachable: false, message: `The onnx models folder does not exist yet.` };
    },
    async close() {
      const loaded = [...pipelines.values()];
      pipelines.clear();
      for (const loading of loaded) {
        const run = (await loading.catch(() => undefined)) as
          | (Pipeline & { dispose?: () => Promise<void> })
          | undefined;
        await run?.dispose?.();
      }
    },
  };
}
