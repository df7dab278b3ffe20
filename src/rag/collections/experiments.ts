/**
 * @module rag/collections/experiments
 * The AutoAI-for-RAG knobs as a grid: chunker × size × overlap × embedder × top-k × mode (×
 * model × template × temperature when answers are generated), each configuration evaluated on a
 * question set against in-memory indexes built from the collection's own documents. Each
 * configuration is recorded as an evaluation run (the evaluation module's recorder port): this
 * file retrieves, generates and judges which chunks hold a gold passage; the evaluation module's
 * metric code scores them — recall@k (reported from its hit rate: any gold passage retrieved),
 * MRR, nDCG, exact match and token F1 — beside the claim support of each answer, which RAG's
 * answer checker measures (faithfulness, citation precision). Results are ranked into a
 * leaderboard with each configuration's run id; the best configuration can be saved as the
 * collection's.
 */
import type { CollectionConfig, Experiment, ExperimentRequest } from '../../api/rag.js';
import { KeelError } from '../../core/errors.js';
import type { Job, JobContext, JobService } from '../../jobs/index.js';
import type { GenerationService } from '../../models/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
import type { EvaluationRecorderV1, RecordedItemV1 } from '../../spec/evaluation-recorder.js';
import type { LoadedDocument } from '../../spec/loader.js';
import { getAnalyzer } from '../analysis/analyzers.js';
import { loadDocument } from '../loading/load-document.js';
import { MemoryCollection } from '../retrieval/memory-collection.js';
import { createUsearchIndex } from '../vector/usearch-vector-index.js';
import { renderAnswerPrompt, verifyClaims } from './answer.js';
import { type CollectionRow, type CollectionStore, parseCollectionConfig } from './collection-store.js';
import { chunksFor } from './prepare-document.js';

const analyzer = getAnalyzer('multilingual-v1');

export const EXPERIMENT_KIND = 'rag.experiment';

export interface ExperimentPayload {
  collection_id: string;
  request: ExperimentRequest;
}

type ExperimentResult = Experiment['results'][number];

interface ExperimentOutcome {
  results: ExperimentResult[];
  best: Record<string, unknown> | null;
}

/** A `rag.experiment` job in the shape of the collections API (partial leaderboard while running). */
function experimentJson(
  job: Job<ExperimentPayload, ExperimentOutcome>,
  partial: ExperimentResult[],
): Experiment {
  const results = job.result?.results ?? partial;
  return {
    id: job.id,
    collection_id: job.payload.collection_id,
    status:
      job.status === 'succeeded'
        ? 'succeeded'
        : job.status === 'queued' || job.status === 'running'
          ? 'running'
          : 'failed',
    metric: metricOf(job.payload.request),
    runs: results.length,
    results,
    best: job.result?.best ?? null,
    error:
      job.status === 'failed' || job.status === 'cancelled'
        ? (job.error as Record<string, unknown> | null)
        : null,
    created_at: job.createdAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}

function metricOf(request: ExperimentRequest): string {
  return request.metric ?? (request.grid.model?.length ? 'token_f1' : 'mrr');
}

/** Lowercase, no punctuation or articles (SQuAD's normalisation), Korean particles left to the analyser. */
function normaliseAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\b(?:a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A chunk is relevant when it contains a gold passage (or most of its terms), or, failing passages, an answer. */
function relevant(chunk: string, question: ExperimentRequest['questions'][number]): boolean {
  if (question.passages?.length) {
    const chunkTerms = new Set(analyzer.analyze(chunk));
    return question.passages.some((passage) => {
      if (chunk.includes(passage) || passage.includes(chunk)) return true;
      const terms = analyzer.analyze(passage);
      if (!terms.length) return false;
      return terms.filter((term) => chunkTerms.has(term)).length / terms.length >= 0.6;
    });
  }
  const normalised = normaliseAnswer(chunk);
  return (question.answers ?? []).some((answer) => normalised.includes(normaliseAnswer(answer)));
}

interface GridPoint {
  chunker: CollectionConfig['chunker']['strategy'];
  size: number;
  overlap: number;
  embedder: string;
  top_k: number;
  mode: CollectionConfig['retrieval']['mode'];
  model?: string;
  template?: string;
  temperature?: number;
}

export function expandGrid(base: CollectionConfig, grid: ExperimentRequest['grid']): GridPoint[] {
  const points: GridPoint[] = [];
  const list = <T>(values: readonly T[] | undefined, fallback: T) => (values?.length ? values : [fallback]);
  for (const chunker of list(grid.chunker, base.chunker.strategy))
    for (const size of list(grid.size, base.chunker.size))
      for (const overlap of list(grid.overlap, base.chunker.overlap)) {
        if (overlap >= size) continue;
        for (const embedder of list(grid.embedder, base.embedder))
          for (const top_k of list(grid.top_k, base.retrieval.top_k))
            for (const mode of list(grid.mode, base.retrieval.mode))
              for (const model of list<string | undefined>(grid.model, undefined))
                for (const template of list<string | undefined>(grid.template, undefined))
                  for (const temperature of list<number | undefined>(grid.temperature, undefined))
                    points.push({
                      chunker,
                      size,
                      overlap,
                      embedder,
                      top_k,
                      mode,
                      ...(model ? { model } : {}),
                      ...(template ? { template } : {}),
                      ...(temperature !== undefined ? { temperature } : {}),
                    });
      }
  return points;
}

export function configOf(base: CollectionConfig, point: GridPoint): CollectionConfig {
  return parseCollectionConfig({
    ...base,
    chunker: { ...base.chunker, strategy: point.chunker, size: point.size, overlap: point.overlap },
    embedder: point.embedder,
    retrieval: { ...base.retrieval, top_k: point.top_k, mode: point.mode },
    answer: {
      ...base.answer,
      ...(point.model ? { model: point.model } : {}),
      ...(point.template ? { template: point.template } : {}),
      ...(point.temperature !== undefined ? { temperature: point.temperature } : {}),
    },
  });
}

export interface ExperimentDependencies {
  db: DatabaseV1;
  store: CollectionStore;
  jobs: JobService;
  generation: GenerationService;
  embedderFor: (id: string) => EmbeddingModelV1;
}

/** Experiments as jobs of kind `rag.experiment`: each grid point is a step, so a resumed run skips those done. */
export class ExperimentRunner {
  #evaluations: EvaluationRecorderV1 | undefined;

  constructor(readonly deps: ExperimentDependencies) {
    deps.jobs.register<ExperimentPayload, ExperimentOutcome>(EXPERIMENT_KIND, {
      concurrency: 1,
      describe: (payload) => ({
        collection_id: payload.collection_id,
        questions: payload.request.questions.length,
      }),
      run: (ctx) => this.#run(ctx),
    });
  }

  /** Wires the evaluation module's recorder: it scores each configuration and keeps it as a run. */
  useEvaluations(recorder: EvaluationRecorderV1): void {
    this.#evaluations = recorder;
  }

  #recorder(): EvaluationRecorderV1 {
    if (!this.#evaluations)
      throw new KeelError(
        'not_implemented',
        'Experiments are scored by the evaluation module, which is not running.',
      );
    return this.#evaluations;
  }

  async start(
    projectId: string,
    collection: CollectionRow,
    request: ExperimentRequest,
    actor: string | null,
  ): Promise<Experiment> {
    this.#recorder();
    const points = expandGrid(collection.config, request.grid);
    if (points.length > request.max_runs) {
      throw new KeelError(
        'invalid_request',
        `The grid has ${points.length} configurations; the limit is ${request.max_runs} (max_runs).`,
        {
          issues: [
            {
              code: 'too_big',
              path: ['grid'],
              message: `${points.length} configurations > max_runs ${request.max_runs}`,
            },
          ],
        },
      );
    }
    for (const embedder of new Set(points.map((point) => point.embedder))) this.deps.embedderFor(embedder);
    for (const model of new Set(points.flatMap((point) => (point.model ? [point.model] : []))))
      this.deps.generation.languageModel(model);
    const documents = await this.deps.store.documents(collection.id);
    if (!documents.some((document) => document.status === 'ready')) {
      throw new KeelError('invalid_request', 'The collection has no ingested documents to experiment on.');
    }
    const job = await this.deps.jobs.enqueue<ExperimentPayload>({
      projectId,
      kind: EXPERIMENT_KIND,
      payload: { collection_id: collection.id, request },
      createdBy: actor,
      total: points.length,
    });
    return experimentJson(job as Job<ExperimentPayload, ExperimentOutcome>, []);
  }

  async get(projectId: string, id: string): Promise<Experiment> {
    const job = await this.deps.jobs
      .get<ExperimentPayload, ExperimentOutcome>(id, { projectId, kind: EXPERIMENT_KIND })
      .catch(() => {
        throw new KeelError('not_found', `Experiment "${id}" not found.`);
      });
    return experimentJson(job, job.result ? [] : await this.#partial(id));
  }

  async list(collectionId: string): Promise<Experiment[]> {
    const jobs = await this.deps.jobs.list({
      kind: EXPERIMENT_KIND,
      payloadContains: { collection_id: collectionId },
      limit: 50,
    });
    return Promise.all(
      jobs.map(async (job) => {
        const typed = job as Job<ExperimentPayload, ExperimentOutcome>;
        return experimentJson(typed, typed.result ? [] : await this.#partial(job.id));
      }),
    );
  }

  async #partial(id: string): Promise<ExperimentResult[]> {
    return (await this.deps.jobs.store.stepOutputs(id, 'point:')).map(
      (step) => step.output as ExperimentResult,
    );
  }

  async wait(projectId: string, id: string, timeoutMs = 600_000): Promise<Experiment> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const experiment = await this.get(projectId, id);
      if (experiment.status !== 'running' || Date.now() > deadline) return experiment;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async #run(ctx: JobContext<ExperimentPayload>): Promise<ExperimentOutcome> {
    const { request } = ctx.payload;
    const collection = await this.deps.store.find(ctx.job.projectId, ctx.payload.collection_id);
    const points = expandGrid(collection.config, request.grid);
    const metric = metricOf(request);
    const documents = (await this.deps.store.documents(collection.id)).filter(
      (document) => document.status === 'ready',
    );
    const loaded: { name: string; document: LoadedDocument; provided: string[] | null }[] = [];
    for (const document of documents) {
      const { source, provided_chunks } = await this.deps.store.source(document.id);
      loaded.push({
        name: document.name,
        document: await loadDocument(
          {
            data: source,
            fileName: document.name,
            ...(document.media_type ? { mediaType: document.media_type } : {}),
          },
          { ocr: collection.config.loader.ocr },
        ),
        provided: provided_chunks,
      });
    }
    const indexes = new Map<string, MemoryCollection>();
    const results: ExperimentResult[] = [];
    for (const [n, point] of points.entries()) {
      const step = `point:${String(n).padStart(4, '0')}`;
      results.push(
        await ctx.step(step, () =>
          this.#evaluate(ctx.job, collection, request, point, loaded, indexes, ctx.signal, step),
        ),
      );
      await ctx.progress(n + 1, points.length);
    }
    results.sort(
      (a, b) =>
        (b.metrics[metric] ?? 0) - (a.metrics[metric] ?? 0) || (b.metrics.mrr ?? 0) - (a.metrics.mrr ?? 0),
    );
    results.forEach((result, index) => {
      result.rank = index + 1;
    });
    const best = results[0] ? configOf(collection.config, results[0].config as unknown as GridPoint) : null;
    return { results, best };
  }

  /** One grid point: build (or reuse) its index, answer every question, average the metrics. */
  async #evaluate(
    job: Job<ExperimentPayload>,
    collection: CollectionRow,
    request: ExperimentRequest,
    point: GridPoint,
    loaded: { name: string; document: LoadedDocument; provided: string[] | null }[],
    indexes: Map<string, MemoryCollection>,
    signal: AbortSignal,
    /** The job step: its run is recorded once, however often a resumed job repeats the step. */
    cell: string,
  ): Promise<ExperimentResult> {
    const started = performance.now();
    const config = configOf(collection.config, point);
    const key = `${point.chunker}|${point.size}|${point.overlap}|${point.embedder}`;
    let index = indexes.get(key);
    if (!index) {
      const embedder = this.deps.embedderFor(point.embedder);
      const dimensions =
        (await embedder.dimensions()) ?? (await embedder.doEmbed({ values: ['x'] })).embeddings[0]!.length;
      index = new MemoryCollection({ embedder, vector: createUsearchIndex({ dimensions }) });
      for (const [n, item] of loaded.entries()) {
        const chunks = chunksFor(item.document, config, item.provided);
        await index.upsertDocument(
          `d${n}`,
          chunks.map((chunk) => ({
            text: chunk.text,
            start: chunk.start,
            end: chunk.end,
            title: item.name,
            ...(chunk.pages ? { pages: chunk.pages } : {}),
          })),
          { document: item.name },
        );
      }
      indexes.set(key, index);
    }
    const items: RecordedItemV1[] = [];
    for (const question of request.questions) {
      if (signal.aborted) throw new KeelError('client_closed', 'The experiment was stopped.');
      const questionStarted = performance.now();
      const result = await index.retrieve({
        query: question.question,
        mode: point.mode,
        topK: point.top_k,
        fusion: { method: 'weighted', vectorWeight: point.embedder.startsWith('hashing:') ? 0.05 : 0.5 },
      });
      // Ranked hits as ids, and which of them hold a gold passage (or an answer): the relevance
      // judgement is RAG's, the ranking metrics the evaluation module's.
      const retrieved = result.hits.map((_, rank) => `hit-${rank + 1}`);
      const relevantIds = retrieved.filter((_, rank) => relevant(result.hits[rank]!.chunk.text, question));
      const item: RecordedItemV1 = {
        input: { question: question.question },
        ...(question.answers?.length ? { references: question.answers } : {}),
        output: '',
        retrieved,
        relevant: relevantIds,
      };
      if (point.model) {
        const outcome = await this.deps.generation.generate({
          model: point.model,
          prompt: renderAnswerPrompt(question.question, result.hits, config, point.template),
          parameters: {
            decodingMethod: (point.temperature ?? 0) > 0 ? 'sample' : 'greedy',
            temperature: point.temperature ?? 0,
            maxNewTokens: config.answer.max_new_tokens,
            randomSeed: 7,
          },
          abortSignal: signal,
        });
        const claims = await verifyClaims(
          outcome.text,
          result.hits.map((hit) => hit.chunk),
          'overlap',
        );
        const supported = claims.filter((claim) => claim.supported).length;
        const citations = claims.flatMap((claim) => claim.citations.map(() => claim.supported));
        Object.assign(item, {
          output: outcome.text.replace(/\[\d{1,3}\]/g, '').trim(),
          contexts: result.hits.map((hit) => hit.chunk.text),
          latencyMs: performance.now() - questionStarted,
          inputTokens: outcome.usage.inputTokens ?? null,
          outputTokens: outcome.usage.outputTokens ?? null,
          observed: {
            faithfulness: claims.length ? supported / claims.length : 0,
            citation_precision: citations.length ? citations.filter(Boolean).length / citations.length : 0,
          },
        });
      }
      items.push(item);
    }
    const recorded = await this.#recorder().record({
      projectId: job.projectId,
      actor: job.createdBy,
      name: `${collection.name} experiment ${job.id}: ${describePoint(point)}`,
      source: { kind: 'rag.experiment', id: job.id, cell },
      target: {
        kind: 'rag',
        collection: collection.id,
        top_k: point.top_k,
        mode: point.mode,
        ...(point.model ? { model: point.model } : {}),
        config: config as unknown as Record<string, unknown>,
      },
      dataset: {
        name: `rag-experiment-${collection.name}`,
        description: `Questions of RAG experiments on collection ${collection.name}.`,
      },
      metrics: ['hit_rate', 'mrr', 'ndcg_at_k', ...(point.model ? ['exact_match', 'f1'] : [])],
      metricOptions: { k: point.top_k },
      items,
    });
    // The leaderboard keeps its names: recall@k has always meant "any gold passage retrieved".
    const names: Record<string, string> = {
      recall_at_k: 'hit_rate',
      mrr: 'mrr',
      ndcg: 'ndcg_at_k',
      ...(point.model
        ? {
            exact_match: 'exact_match',
            token_f1: 'f1',
            faithfulness: 'faithfulness',
            citation_precision: 'citation_precision',
          }
        : {}),
    };
    const metrics: Record<string, number> = {};
    for (const [name, source] of Object.entries(names))
      metrics[name] = Math.round((recorded.metrics[source] ?? 0) * 10_000) / 10_000;
    return {
      rank: 0,
      config: { ...point },
      metrics,
      seconds: Math.round((performance.now() - started) / 10) / 100,
      run_id: recorded.id,
    };
  }
}

/** A grid point in a few words, for its run's name. */
function describePoint(point: GridPoint): string {
  return [
    `${point.chunker} ${point.size}/${point.overlap}`,
    point.embedder,
    `${point.mode} top ${point.top_k}`,
    ...(point.model ? [point.model] : []),
    ...(point.temperature !== undefined ? [`t=${point.temperature}`] : []),
    ...(point.template ? ['custom template'] : []),
  ].join(', ');
}
