/**
 * @module rag/collections/experiments
 * The AutoAI-for-RAG knobs as a grid: chunker × size × overlap × embedder × top-k × mode (×
 * model × template × temperature when answers are generated), each configuration evaluated on a
 * question set against in-memory indexes built from the collection's own documents. Retrieval:
 * recall@k (any gold passage retrieved), MRR and nDCG; answers: exact match, token F1,
 * faithfulness (share of claims supported by what they cite) and citation precision. Results are
 * ranked into a leaderboard; the best configuration can be saved as the collection's.
 */
import type { CollectionConfig, Experiment, ExperimentRequest } from '../../api/rag.js';
import { KeelError } from '../../core/errors.js';
import type { Job, JobContext, JobService } from '../../jobs/index.js';
import type { GenerationService } from '../../models/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
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

export function tokenF1(prediction: string, gold: string): number {
  const p = analyzer.analyze(prediction);
  const g = analyzer.analyze(gold);
  if (!p.length || !g.length) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const term of g) counts.set(term, (counts.get(term) ?? 0) + 1);
  let common = 0;
  for (const term of p) {
    const left = counts.get(term) ?? 0;
    if (left > 0) {
      common++;
      counts.set(term, left - 1);
    }
  }
  if (!common) return 0;
  const precision = common / p.length;
  const recall = common / g.length;
  return (2 * precision * recall) / (precision + recall);
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

  async start(
    projectId: string,
    collection: CollectionRow,
    request: ExperimentRequest,
    actor: string | null,
  ): Promise<Experiment> {
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
      results.push(
        await ctx.step(`point:${String(n).padStart(4, '0')}`, () =>
          this.#evaluate(collection, request, point, loaded, indexes, ctx.signal),
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
    collection: CollectionRow,
    request: ExperimentRequest,
    point: GridPoint,
    loaded: { name: string; document: LoadedDocument; provided: string[] | null }[],
    indexes: Map<string, MemoryCollection>,
    signal: AbortSignal,
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
    const sums = {
      recall_at_k: 0,
      mrr: 0,
      ndcg: 0,
      exact_match: 0,
      token_f1: 0,
      faithfulness: 0,
      citation_precision: 0,
    };
    let answered = 0;
    for (const question of request.questions) {
      if (signal.aborted) throw new KeelError('client_closed', 'The experiment was stopped.');
      const result = await index.retrieve({
        query: question.question,
        mode: point.mode,
        topK: point.top_k,
        fusion: { method: 'weighted', vectorWeight: point.embedder.startsWith('hashing:') ? 0.05 : 0.5 },
      });
      const flags = result.hits.map((hit) => relevant(hit.chunk.text, question));
      const first = flags.indexOf(true);
      if (first >= 0) {
        sums.recall_at_k++;
        sums.mrr += 1 / (first + 1);
      }
      const dcg = flags.reduce((sum, rel, i) => sum + (rel ? 1 / Math.log2(i + 2) : 0), 0);
      const idealCount = Math.max(1, Math.min(flags.filter(Boolean).length, point.top_k));
      let idcg = 0;
      for (let i = 0; i < idealCount; i++) idcg += 1 / Math.log2(i + 2);
      sums.ndcg += dcg / idcg;
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
        answered++;
        const answers = question.answers ?? [];
        const text = outcome.text.replace(/\[\d{1,3}\]/g, '').trim();
        if (answers.length) {
          sums.exact_match += answers.some((answer) => normaliseAnswer(answer) === normaliseAnswer(text))
            ? 1
            : 0;
          sums.token_f1 += Math.max(...answers.map((answer) => tokenF1(text, answer)));
        }
        const claims = await verifyClaims(
          outcome.text,
          result.hits.map((hit) => hit.chunk),
          'overlap',
        );
        const supported = claims.filter((claim) => claim.supported).length;
        sums.faithfulness += claims.length ? supported / claims.length : 0;
        const citations = claims.flatMap((claim) => claim.citations.map(() => claim.supported));
        sums.citation_precision += citations.length ? citations.filter(Boolean).length / citations.length : 0;
      }
    }
    const n = request.questions.length;
    const metrics: Record<string, number> = {
      recall_at_k: sums.recall_at_k / n,
      mrr: sums.mrr / n,
      ndcg: sums.ndcg / n,
    };
    if (answered) {
      metrics.exact_match = sums.exact_match / n;
      metrics.token_f1 = sums.token_f1 / n;
      metrics.faithfulness = sums.faithfulness / n;
      metrics.citation_precision = sums.citation_precision / n;
    }
    for (const name of Object.keys(metrics)) metrics[name] = Math.round(metrics[name]! * 10_000) / 10_000;
    return {
      rank: 0,
      config: { ...point },
      metrics,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  }
}
