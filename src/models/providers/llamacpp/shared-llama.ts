/**
 * @module models/providers/llamacpp/shared-llama
 * One llama.cpp instance per process (per GPU mode), shared by every provider that asks for it.
 * llama.cpp's log callback is process-wide: with a second instance, or after disposing one and
 * creating another, its log lines bypass the callback and land on stderr. So the instance is
 * created once, never disposed while the process runs (node-llama-cpp frees it at exit), and its
 * log lines are fanned out to the loggers of the providers using it.
 */
import { getLlama, type Llama, LlamaLogLevel } from 'node-llama-cpp';
import { KeelError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';

interface SharedState {
  llama: Llama;
  loggers: Set<Logger>;
  /** Error lines logged while the current exclusive task runs. */
  capture: string[] | undefined;
  queue: Promise<unknown>;
}

const instances = new Map<'auto' | 'off', Promise<SharedState>>();

export interface SharedLlama {
  llama: Llama;
  /**
   * Runs `task` while no other task of this instance runs, and hands it the llama.cpp error lines
   * logged meanwhile (the reason behind a failed model load, which node-llama-cpp's exception
   * does not carry).
   */
  exclusive<T>(task: (errorLines: () => string[]) => Promise<T>): Promise<T>;
  /** Stops routing log lines to this provider's logger. */
  detach(): void;
}

export async function attachSharedLlama(options: {
  gpu: 'auto' | 'off';
  /** Threads the caller's contexts will use; the instance's cap is raised to fit. */
  threads: number;
  logger: Logger;
}): Promise<SharedLlama> {
  let pending = instances.get(options.gpu);
  if (!pending) {
    pending = start(options.gpu);
    instances.set(options.gpu, pending);
    pending.catch(() => instances.delete(options.gpu));
  }
  const state = await pending;
  state.loggers.add(options.logger);
  if (options.logger.isLevelEnabled('debug')) state.llama.logLevel = LlamaLogLevel.info;
  // node-llama-cpp's CPU default cap is max(cores, 4) threads, which thrashes small machines.
  const wanted = options.threads > 0 ? options.threads : state.llama.cpuMathCores;
  if (options.gpu === 'off' && state.llama.maxThreads !== 0 && state.llama.maxThreads < wanted) {
    state.llama.maxThreads = wanted;
  }
  return {
    llama: state.llama,
    exclusive(task) {
      const run = state.queue.then(async () => {
        const lines: string[] = [];
        state.capture = lines;
        try {
          return await task(() => lines);
        } finally {
          state.capture = undefined;
        }
      });
      state.queue = run.catch(() => undefined);
      return run;
    },
    detach: () => state.loggers.delete(options.logger),
  };
}

async function start(gpu: 'auto' | 'off'): Promise<SharedState> {
  const state: SharedState = {
    llama: undefined as unknown as Llama,
    loggers: new Set(),
    capture: undefined,
    queue: Promise.resolve(),
  };
  try {
    state.llama = await getLlama({
      gpu: gpu === 'off' ? false : 'auto',
      // Never compile or download at run time: the prebuilt binaries ship with the package.
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      // On the CPU the cap starts low and is raised to what attaching providers ask for.
      ...(gpu === 'off' ? { maxThreads: 1 } : {}),
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        const text = message.trim();
        if (!text) return;
        for (const logger of state.loggers) logger.debug({ llamaLevel: level }, text);
        if (state.capture && (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal))
          state.capture.push(text);
      },
    });
    return state;
  } catch (error) {
    throw new KeelError(
      'service_unavailable',
      `The embedded llama.cpp runtime could not start: ${(error as Error).message}`,
      {
        cause: error,
        data: {
          hint: 'Run `keel doctor`; set llamacpp.gpu: off in keel.yaml if a GPU driver is the problem.',
        },
      },
    );
  }
}
