/**
 * @module models/providers/llamacpp/loaded-model
 * One model in memory and what is built on it lazily: a generation context with `sequences`
 * parallel sequences (and the queue in front of them), an embedding context, a ranking context,
 * the chat wrapper for its template, and its end-of-generation tokens. A LoRA adapter gets a
 * generation context of its own on the same weights (llama.cpp applies adapters per context),
 * made once per adapter version and scale after its file's SHA-256 is checked; at most
 * `maxAdaptedContexts` are kept, the least recently used idle one going first.
 */
import {
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaModel,
  type LlamaRankingContext,
  resolveChatWrapper,
  type Token,
} from 'node-llama-cpp';
import { KeelError } from '../../../core/errors.js';
import type { ResolvedAdapter } from '../../../spec/adapter-source.js';
import { hashFile } from '../../pull-files.js';
import { SequencePool } from './sequence-pool.js';

export interface LoadedModelOptions {
  threads: number;
  contextSize: number;
  sequences: number;
}

export interface GenerationContext {
  context: LlamaContext;
  pool: SequencePool<LlamaContextSequence>;
  /** Tokens one sequence holds: prompt plus output. */
  contextSize: number;
}

/** Adapted contexts kept per loaded model. */
const maxAdaptedContexts = 4;

interface AdaptedEntry {
  context: Promise<GenerationContext>;
  ready: GenerationContext | undefined;
}

export class LoadedModel {
  #generation: Promise<GenerationContext> | undefined;
  /** Insertion order is recency: an entry moves to the end on every use. */
  readonly #adapted = new Map<string, AdaptedEntry>();
  #embedding: Promise<LlamaEmbeddingContext> | undefined;
  #ranking: Promise<LlamaRankingContext> | undefined;
  #chatWrapper: ChatWrapper | undefined;
  #eogTokens: Token[] | undefined;
  #vocabularySize = 0;
  #disposed = false;

  constructor(
    readonly modelId: string,
    readonly file: string,
    readonly model: LlamaModel,
    readonly llama: Llama,
    private readonly options: LoadedModelOptions,
  ) {}

  /** The context window requests get: the configured size, capped by what the model was trained for. */
  get contextSize(): number {
    return Math.min(this.options.contextSize, this.model.trainContextSize || this.options.contextSize);
  }

  get chatWrapper(): ChatWrapper {
    // node-llama-cpp recognises the common templates (ChatML, Llama 3, Granite, Gemma …) and
    // falls back to rendering the GGUF's Jinja template.
    this.#chatWrapper ??= resolveChatWrapper(this.model);
    return this.#chatWrapper;
  }

  /** Every token that ends generation (EOS, EOT, `<|im_end|>` …). */
  get eogTokens(): Token[] {
    this.#scanVocabulary();
    return this.#eogTokens!;
  }

  get vocabularySize(): number {
    this.#scanVocabulary();
    return this.#vocabularySize;
  }

  #scanVocabulary(): void {
    if (this.#eogTokens) return;
    const tokens: Token[] = [];
    let size = 0;
    for (const token of this.model.iterateAllTokens()) {
      size++;
      if (this.model.isEogToken(token)) tokens.push(token);
    }
    this.#eogTokens = tokens;
    this.#vocabularySize = size;
  }

  generation(): Promise<GenerationContext> {
    this.#assertLive();
    this.#generation ??= this.#generationContext('generation').catch((error: unknown) => {
      this.#generation = undefined; // a failed attempt is not cached: the next request tries again
      throw error;
    });
    return this.#generation;
  }

  /**
   * The generation context with `adapter` applied. Its file must still hash to the SHA-256 it was
   * registered with (`checksum_mismatch` otherwise), checked when the context is made.
   */
  adaptedGeneration(adapter: ResolvedAdapter): Promise<GenerationContext> {
    this.#assertLive();
    const cached = this.#adapted.get(adapter.key);
    if (cached) {
      this.#adapted.delete(adapter.key);
      this.#adapted.set(adapter.key, cached);
      return cached.context;
    }
    const entry: AdaptedEntry = { context: this.#adaptedContext(adapter), ready: undefined };
    entry.context.then(
      (ready) => {
        entry.ready = ready;
      },
      () => {
        if (this.#adapted.get(adapter.key) === entry) this.#adapted.delete(adapter.key);
      },
    );
    this.#adapted.set(adapter.key, entry);
    this.#evictAdapted();
    return entry.context;
  }

  async #adaptedContext(adapter: ResolvedAdapter): Promise<GenerationContext> {
    let sha256: string;
    try {
      sha256 = await hashFile(adapter.file);
    } catch (error) {
      throw new KeelError('model_not_found', `The adapter file of ${adapter.key} is gone.`, {
        cause: error,
        data: { adapter: adapter.key },
      });
    }
    if (sha256 !== adapter.sha256) {
      throw new KeelError(
        'checksum_mismatch',
        `The adapter file of ${adapter.key} was changed on disk since it was registered; refusing it.`,
        { data: { adapter: adapter.key, hint: 'Register the adapter again as a new version.' } },
      );
    }
    return this.#generationContext('adapted generation', {
      adapters: [{ filePath: adapter.file, scale: adapter.scale }],
    });
  }

  async #generationContext(
    kind: string,
    lora?: { adapters: { filePath: string; scale: number }[] },
  ): Promise<GenerationContext> {
    const context = await this.#create(kind, () =>
      this.model.createContext({
        contextSize: this.contextSize,
        sequences: this.options.sequences,
        threads: this.options.threads,
        ...(lora ? { lora } : {}),
      }),
    );
    const sequences = Array.from({ length: this.options.sequences }, () => context.getSequence());
    return { context, pool: new SequencePool(sequences), contextSize: this.contextSize };
  }

  /** Disposes the least recently used idle adapted contexts beyond `maxAdaptedContexts`. */
  #evictAdapted(): void {
    for (const [key, entry] of this.#adapted) {
      if (this.#adapted.size <= maxAdaptedContexts) return;
      const ready = entry.ready;
      if (!ready || ready.pool.available < this.options.sequences || ready.pool.waiting > 0) continue;
      this.#adapted.delete(key);
      ready.pool.close(new KeelError('service_unavailable', `${key} was unloaded.`));
      void ready.context.dispose();
    }
  }

  embeddingContext(): Promise<LlamaEmbeddingContext> {
    this.#assertLive();
    this.#embedding ??= this.#create('embedding', () =>
      this.model.createEmbeddingContext({
        contextSize: this.contextSize,
        // Encoder models must see a whole input in one batch.
        batchSize: this.contextSize,
        threads: this.options.threads,
      }),
    ).catch((error: unknown) => {
      this.#embedding = undefined;
      throw error;
    });
    return this.#embedding;
  }

  rankingContext(): Promise<LlamaRankingContext> {
    this.#assertLive();
    if (!this.model.fileInsights.supportsRanking) {
      return Promise.reject(
        new KeelError('not_implemented', `llamacpp:${this.modelId} is not a reranking model.`, {
          data: { hint: 'Pull a reranker such as `keel models pull bge-reranker-v2-m3`.' },
        }),
      );
    }
    this.#ranking ??= this.#create('ranking', () =>
      this.model.createRankingContext({
        contextSize: this.contextSize,
        batchSize: this.contextSize,
        threads: this.options.threads,
      }),
    ).catch((error: unknown) => {
      this.#ranking = undefined;
      throw error;
    });
    return this.#ranking;
  }

  async #create<T>(kind: string, create: () => Promise<T>): Promise<T> {
    try {
      return await create();
    } catch (error) {
      throw new KeelError(
        'model_load_failed',
        `Could not create a ${kind} context for ${this.modelId}: ${(error as Error).message}`,
        {
          cause: error,
          data: {
            model: this.modelId,
            hint: 'Lower llamacpp.contextSize or llamacpp.sequences, or free memory.',
          },
        },
      );
    }
  }

  #assertLive(): void {
    if (this.#disposed) throw new KeelError('service_unavailable', `${this.modelId} was unloaded.`);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const unloaded = new KeelError('service_unavailable', `${this.modelId} was unloaded.`);
    const generations = await Promise.all(
      [this.#generation, ...[...this.#adapted.values()].map((entry) => entry.context)].map((context) =>
        context?.catch(() => undefined),
      ),
    );
    this.#adapted.clear();
    for (const generation of generations) generation?.pool.close(unloaded);
    await Promise.allSettled([
      ...generations.map((generation) => generation?.context.dispose()),
      this.#embedding?.then((context) => context.dispose()),
      this.#ranking?.then((context) => context.dispose()),
    ]);
    await this.model.dispose();
  }
}
