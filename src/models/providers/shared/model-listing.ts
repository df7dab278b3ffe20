/**
 * @module models/providers/shared/model-listing
 * Model lists and status probes the remote providers share: the configured `models:` list when
 * there is one (no call upstream), a guess of what a model is for from its name when the backend
 * does not say (OpenAI's `/v1/models` has no kind), and a timed probe for `status()`.
 */
import type { ModelInfo, ModelTask, ProviderStatus } from '../../../spec/provider.js';

const rerankPattern = /rerank/i;
const embeddingPattern =
  /embed|(^|[/:_-])(bge|e5|gte|minilm|mpnet|sentence-t5|multilingual-e5|snowflake-arctic-embed|all-minilm|paraphrase)([/:_.-]|$)|slate-\d+m-english-rtrvr/i;

const languageTasks: ModelTask[] = ['generate', 'chat', 'summarize', 'extract', 'classify', 'qa', 'code'];

/** What a model is for, judged by its id; used only where the backend does not say. */
export function guessKinds(modelId: string): ModelInfo['kinds'] {
  if (rerankPattern.test(modelId)) return ['rerank'];
  if (embeddingPattern.test(modelId)) return ['embedding'];
  return ['language'];
}

export function tasksFor(kinds: ModelInfo['kinds']): ModelTask[] {
  const tasks: ModelTask[] = [];
  if (kinds.includes('language')) tasks.push(...languageTasks);
  if (kinds.includes('embedding')) tasks.push('embed');
  if (kinds.includes('rerank')) tasks.push('rerank');
  return tasks;
}

export function modelInfo(
  provider: string,
  modelId: string,
  kinds: ModelInfo['kinds'],
  extra: { contextLength?: number | undefined; details?: Record<string, unknown> } = {},
): ModelInfo {
  return {
    id: `${provider}:${modelId}`,
    provider,
    modelId,
    kinds,
    tasks: tasksFor(kinds),
    ...(extra.contextLength !== undefined ? { contextLength: extra.contextLength } : {}),
    ...(extra.details ? { details: extra.details } : {}),
  };
}

/** The `models:` list of keel.yaml, as ModelInfo. */
export function configuredModels(provider: string, models: readonly string[]): ModelInfo[] {
  return models.map((modelId) =>
    modelInfo(provider, modelId, guessKinds(modelId), { details: { source: 'keel.yaml' } }),
  );
}

/** Runs `check` and reports whether it succeeded and how long it took. */
export async function probe(check: () => Promise<string | undefined>): Promise<ProviderStatus> {
  const started = performance.now();
  try {
    const message = await check();
    return { reachable: true, latencyMs: performance.now() - started, ...(message ? { message } : {}) };
  } catch (error) {
    return {
      reachable: false,
      latencyMs: performance.now() - started,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
