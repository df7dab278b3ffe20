/**
 * @module models/providers/llamacpp/llamacpp-provider
 * The embedded llama.cpp provider: every `*.gguf` file in the models directory is a model,
 * addressed as `llamacpp:<file stem>`. The directory is read again on every `listModels`, so a
 * file that `keel models pull` (or a person) drops in is served without a restart. A LoRA adapter
 * is served on its base as `llamacpp:<base>+<adapter>`, from the adapter source the tuning module
 * sets with `setAdapterSource` (decision 0042).
 */
import path from 'node:path';
import type { LlamaGrammar } from 'node-llama-cpp';
import { KeelError } from '../../../core/errors.js';
import { type Logger, silentLogger } from '../../../core/logger.js';
import {
  type AdapterHostV1,
  type AdapterSourceV1,
  splitAdapterModelId,
} from '../../../spec/adapter-source.js';
import type { JSONSchema } from '../../../spec/json-schema.js';
import type { ModelInfo, ModelTask, ProviderStatus, ProviderV1 } from '../../../spec/provider.js';
import { findCatalogEntry } from '../../catalog.js';
import { LlamaRuntime } from './llama-runtime.js';
import { LlamaCppEmbeddingModel } from './llamacpp-embedding-model.js';
import { GrammarCache, type LlamaCppHost } from './llamacpp-host.js';
import { LlamaCppLanguageModel } from './llamacpp-language-model.js';
import { LlamaCppRerankModel } from './llamacpp-rerank-model.js';
import { type ModelHeader, modelFileFor, readModelHeader, scanModelsDir } from './local-models.js';

export interface LlamaCppProviderOptions {
  /** Directory of `.gguf` files (`<data-dir>/models`). */
  modelsDir: string;
  /** CPU threads per context; 0 (default) lets llama.cpp use the cores it finds useful. Tests: 1. */
  threads?: number;
  /** `auto` offloads to a GPU when one is usable; `off` (default) stays on the CPU. */
  gpu?: 'auto' | 'off';
  /** Context window per sequence, capped by what each model was trained for. Default 4096. */
  contextSize?: number;
  /** Unload a model after this many idle seconds (fractions allowed). Default 300. */
  idleUnloadSeconds?: number;
  /** Models kept in memory at once; the least recently used idle one goes first. Default 2. */
  maxLoadedModels?: number;
  /** Parallel generations per model; further requests wait in line. Default 1. */
  sequences?: number;
  logger?: Logger;
}

export interface LlamaCppProvider extends ProviderV1, AdapterHostV1 {
  readonly modelsDir: string;
  languageModel(modelId: string): LlamaCppLanguageModel;
  /** Ids of the models in memory now, least recently used first. */
  loadedModels(): string[];
}

const allTextTasks: ModelTask[] = ['generate', 'chat', 'summarize', 'extract', 'classify', 'qa', 'code'];

/**
 * @example
 * const llamacpp = createLlamaCppProvider({ modelsDir: '.keel/models', threads: 1 });
 * const model = llamacpp.languageModel('granite-3.3-2b-instruct');
 * const { text } = await model.doGenerate({ prompt: { type: 'text', text: 'Hello' } });
 */
export function createLlamaCppProvider(options: LlamaCppProviderOptions): LlamaCppProvider {
  const logger = options.logger ?? silentLogger;
  const runtime = new LlamaRuntime({
    threads: options.threads ?? 0,
    gpu: options.gpu ?? 'off',
    contextSize: options.contextSize ?? 4096,
    idleUnloadSeconds: options.idleUnloadSeconds ?? 300,
    maxLoadedModels: options.maxLoadedModels ?? 2,
    sequences: options.sequences ?? 1,
    logger,
  });
  const grammars = new GrammarCache(() => runtime.llama());
  let adapters: AdapterSourceV1 | undefined;
  const name = 'llamacpp';
  const notFound = (modelId: string) =>
    new KeelError('model_not_found', `There is no local model "${modelId}" in ${options.modelsDir}.`, {
      data: {
        model: `${name}:${modelId}`,
        hint: findCatalogEntry(modelId)
          ? `Download it with \`keel models pull ${modelId}\`.`
          : 'See the available models with `keel models list`; download more with `keel models pull <catalog id | hf:owner/repo/file.gguf | https URL>`.',
      },
    });
  const host: LlamaCppHost = {
    name,
    runtime,
    logger,
    fileFor(modelId) {
      const file = modelFileFor(options.modelsDir, modelId);
      if (!file) throw notFound(modelId);
      return file;
    },
    header(modelId) {
      return readModelHeader(host.fileFor(modelId));
    },
    grammar(schema?: JSONSchema): Promise<LlamaGrammar> {
      return grammars.get(schema);
    },
    async adapter(request) {
      if (!adapters) {
        throw new KeelError(
          'model_not_found',
          `${name}:${request.baseModelId}+${request.adapter} names an adapter, and this instance serves none.`,
          { data: { model: `${name}:${request.baseModelId}+${request.adapter}` } },
        );
      }
      return adapters.resolve(request);
    },
  };

  return {
    specificationVersion: 'v1',
    name,
    type: 'llamacpp',
    modelsDir: options.modelsDir,
    languageModel(modelId) {
      host.fileFor(splitAdapterModelId(modelId)?.baseModelId ?? modelId);
      return new LlamaCppLanguageModel(modelId, host);
    },
    setAdapterSource(source) {
      adapters = source;
    },
    baseModelFile: (modelId) => host.fileFor(modelId),
    embeddingModel(modelId) {
      host.fileFor(modelId);
      return new LlamaCppEmbeddingModel(modelId, host);
    },
    rerankModel(modelId) {
      host.fileFor(modelId);
      return new LlamaCppRerankModel(modelId, host);
    },
    async listModels() {
      const loaded = new Set(runtime.loadedModelIds());
      const files = await scanModelsDir(options.modelsDir);
      return Promise.all(
        files.map(async (file): Promise<ModelInfo> => {
          const catalog = findCatalogEntry(file.modelId);
          const base = {
            id: `${name}:${file.modelId}`,
            provider: name,
            modelId: file.modelId,
          };
          const details: Record<string, unknown> = {
            file: file.file,
            sizeBytes: file.sizeBytes,
            loaded: loaded.has(file.modelId),
            ...(catalog
              ? { catalogId: catalog.id, licence: catalog.licence, displayName: catalog.displayName }
              : {}),
          };
          let header: ModelHeader;
          try {
            header = await readModelHeader(file.file);
          } catch (error) {
            // One unreadable file must not hide the others; it is listed with the reason.
            return { ...base, kinds: [], details: { ...details, error: (error as Error).message } };
          }
          if (header.adapterType) {
            // Adapter weights dropped beside the models: listed as what they are, not as a model.
            return {
              ...base,
              kinds: [],
              tasks: [],
              details: {
                ...details,
                architecture: header.architecture,
                adapter: header.adapterType,
                hint: `An adapter, not a model: register it with \`keel tune adapter add ${path.basename(file.file)} --in-models-dir --base llamacpp:<model>\`.`,
              },
            };
          }
          return {
            ...base,
            kinds: header.kinds,
            tasks: catalog?.tasks ?? tasksFor(header),
            ...(header.contextLength ? { contextLength: header.contextLength } : {}),
            details: {
              ...details,
              architecture: header.architecture,
              ...(header.quantization ? { quantization: header.quantization } : {}),
              ...(header.parameters ? { parameters: header.parameters } : {}),
              ...(header.embeddingLength ? { embeddingLength: header.embeddingLength } : {}),
              ...(header.displayName && !catalog ? { displayName: header.displayName } : {}),
            },
          };
        }),
      );
    },
    async status(): Promise<ProviderStatus> {
      const started = performance.now();
      let files: Awaited<ReturnType<typeof scanModelsDir>>;
      try {
        files = await scanModelsDir(options.modelsDir);
      } catch (error) {
        return { reachable: false, message: `Cannot read ${options.modelsDir}: ${(error as Error).message}` };
      }
      const loaded = runtime.loadedModelIds();
      return {
        reachable: true,
        latencyMs: performance.now() - started,
        message:
          files.length === 0
            ? `No models in ${options.modelsDir} yet: try \`keel models pull granite-3.3-2b-instruct\`.`
            : `${files.length} local model(s); loaded: ${loaded.join(', ') || 'none'}.`,
      };
    },
    loadedModels: () => runtime.loadedModelIds(),
    close: () => runtime.close(),
  };
}

function tasksFor(header: ModelHeader): ModelTask[] {
  if (header.kinds.includes('rerank')) return ['rerank'];
  if (!header.kinds.includes('language')) return ['embed'];
  return header.hasChatTemplate ? [...allTextTasks, 'embed'] : ['generate', 'embed'];
}
