/**
 * @module models/providers/llamacpp/llama-runtime
 * Owns the llama.cpp instance and the models loaded into it. The instance starts on first use
 * (about half a second); models load on first request and stay cached — at most
 * `maxLoadedModels`, least recently used unloaded first, and each unloaded after
 * `idleUnloadSeconds` without requests. A model in use is never unloaded under a request.
 * llama.cpp's own log lines go to the injected logger, never to the console.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { KeelError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { LoadedModel } from './loaded-model.js';
import { attachSharedLlama, type SharedLlama } from './shared-llama.js';

export interface LlamaRuntimeOptions {
  /** CPU threads per context; 0 uses the cores llama.cpp finds useful for math. */
  threads: number;
  gpu: 'auto' | 'off';
  contextSize: number;
  idleUnloadSeconds: number;
  maxLoadedModels: number;
  sequences: number;
  logger: Logger;
}

/** A model held for one request; release it when done (idempotent). */
export interface ModelLease {
  model: LoadedModel;
  release(): void;
}

interface CacheEntry {
  model: LoadedModel;
  stamp: string;
  active: number;
  idleTimer: NodeJS.Timeout | undefined;
}

export class LlamaRuntime {
  readonly #options: LlamaRuntimeOptions;
  #attached: Promise<SharedLlama> | undefined;
  /** Insertion order is recency: an entry is moved to the end on every use. */
  readonly #entries = new Map<string, CacheEntry>();
  readonly #loading = new Map<string, Promise<CacheEntry>>();
  #closed = false;

  constructor(options: LlamaRuntimeOptions) {
    this.#options = options;
  }

  get options(): Readonly<LlamaRuntimeOptions> {
    return this.#options;
  }

  /** The process-wide llama.cpp instance, attached on first use. */
  llama(): Promise<Llama> {
    return this.#shared().then((shared) => shared.llama);
  }

  #shared(): Promise<SharedLlama> {
    this.#attached ??= attachSharedLlama({
      gpu: this.#options.gpu,
      threads: this.#options.threads,
      logger: this.#options.logger,
    }).catch((error: unknown) => {
      this.#attached = undefined;
      throw error;
    });
    return this.#attached;
  }

  /** Threads each context uses. */
  async threads(): Promise<number> {
    return this.#options.threads > 0 ? this.#options.threads : Math.max(1, (await this.llama()).cpuMathCores);
  }

  /**
   * Loads (or reuses) the model in `file` and holds it until the lease is released. A file that
   * changed on disk since it was loaded is reloaded once no request is using the old copy.
   */
  async acquire(modelId: string, file: string): Promise<ModelLease> {
    if (this.#closed) throw new KeelError('service_unavailable', 'The llama.cpp provider is closed.');
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch {
      throw new KeelError('model_not_found', `The model file for "${modelId}" is gone: ${file}.`, {
        data: { hint: 'List the models with `keel models list`, or pull it again with `keel models pull`.' },
      });
    }
    const stamp = `${info.size}:${info.mtimeMs}`;
    let entry = this.#entries.get(file);
    if (entry && entry.stamp !== stamp && entry.active === 0) {
      this.#entries.delete(file);
      await this.#dispose(entry, 'the file changed');
      entry = undefined;
    }
    if (!entry) {
      let loading = this.#loading.get(file);
      if (!loading) {
        loading = this.#load(modelId, file, stamp).finally(() => this.#loading.delete(file));
        this.#loading.set(file, loading);
      }
      entry = await loading;
    }
    this.#entries.delete(file);
    this.#entries.set(file, entry);
    entry.active++;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    let released = false;
    const held = entry;
    return {
      model: held.model,
      release: () => {
        if (released) return;
        released = true;
        held.active--;
        if (held.active === 0) this.#idle(file, held);
      },
    };
  }

  /** Model ids loaded now, least recently used first. */
  loadedModelIds(): string[] {
    return [...this.#entries.values()].map((entry) => entry.model.modelId);
  }

  async #load(modelId: string, file: string, stamp: string): Promise<CacheEntry> {
    const shared = await this.#shared();
    // One load at a time: loads compete for memory, and the llama.cpp error lines logged while
    // a load runs explain that load's failure.
    const model = await shared.exclusive(async (errorLines) => {
      const started = performance.now();
      try {
        const loaded = await shared.llama.loadModel({
          modelPath: file,
          ...(this.#options.gpu === 'off' ? { gpuLayers: 0 } : {}),
        });
        this.#options.logger.debug(
          { model: modelId, ms: Math.round(performance.now() - started) },
          'llama.cpp model loaded',
        );
        return loaded;
      } catch (error) {
        // "func: message" lines; the specific reason (bounds, key-value pairs, architecture) beats
        // the generic "failed to load model" that follows it.
        const lines = errorLines().map((line) => line.replace(/^[\w:]+:\s*(error loading model:\s*)?/, ''));
        const detail =
          lines.find((line) =>
            /bounds|corrupt|failed to read|invalid|unknown|unsupported|architecture/i.test(line),
          ) ??
          lines[0] ??
          (error as Error).message;
        throw new KeelError('model_load_failed', `Could not load ${path.basename(file)}: ${detail}`, {
          cause: error,
          data: {
            model: modelId,
            file,
            hint: 'The file may be truncated, corrupt or of an architecture this llama.cpp does not support: pull it again with `keel models pull`.',
          },
        });
      }
    });
    const llama = shared.llama;
    if (this.#closed) {
      await model.dispose();
      throw new KeelError('service_unavailable', 'The llama.cpp provider is closed.');
    }
    const threads = await this.threads();
    const entry: CacheEntry = {
      model: new LoadedModel(modelId, file, model, llama, { ...this.#options, threads }),
      stamp,
      active: 0,
      idleTimer: undefined,
    };
    this.#entries.set(file, entry);
    await this.#evictOverLimit(file);
    return entry;
  }

  /** Unloads idle models, least recently used first, until at most `maxLoadedModels` remain. */
  async #evictOverLimit(keep?: string): Promise<void> {
    for (const [file, entry] of this.#entries) {
      if (this.#entries.size <= this.#options.maxLoadedModels) return;
      if (file === keep || entry.active > 0) continue;
      this.#entries.delete(file);
      await this.#dispose(entry, 'too many models loaded');
    }
  }

  #idle(file: string, entry: CacheEntry): void {
    if (this.#closed) return;
    if (this.#entries.size > this.#options.maxLoadedModels) {
      void this.#evictOverLimit();
      if (!this.#entries.has(file)) return;
    }
    entry.idleTimer = setTimeout(() => {
      if (entry.active > 0 || this.#entries.get(file) !== entry) return;
      this.#entries.delete(file);
      void this.#dispose(entry, 'idle');
    }, this.#options.idleUnloadSeconds * 1000);
    // An idle model must not keep the process alive.
    entry.idleTimer.unref();
  }

  async #dispose(entry: CacheEntry, reason: string): Promise<void> {
    clearTimeout(entry.idleTimer);
    this.#options.logger.debug({ model: entry.model.modelId, reason }, 'llama.cpp model unloaded');
    try {
      await entry.model.dispose();
    } catch (error) {
      this.#options.logger.warn({ model: entry.model.modelId, err: error }, 'unloading a model failed');
    }
  }

  /**
   * Unloads every model and its contexts. The process-wide llama.cpp instance itself stays for
   * the next provider (see shared-llama.ts); node-llama-cpp releases it when the process exits.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#loading.values()]);
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((entry) => this.#dispose(entry, 'closing')));
    const attached = this.#attached;
    this.#attached = undefined;
    (await attached?.catch(() => undefined))?.detach();
  }
}
