/**
 * @module rag/collections/rag-service
 * Collections for the API, CLI and console: create and configure, add and remove documents
 * (ingestion jobs), search, answer with citations, preview chunking, run experiments. Every call
 * is scoped to a project.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Counter } from 'prom-client';
import {
  type AskResponse,
  type CollectionConfig,
  chunkerConfigSchema,
  type ExperimentRequest,
  type SearchHit,
} from '../../api/rag.js';
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { KeelMetrics } from '../../core/metrics.js';
import {
  defaultPolicy,
  type GuardrailOutcome,
  type GuardrailRequest,
  type GuardrailService,
  type ScreenedDocument,
  screenDocuments,
} from '../../guardrails/index.js';
import type { JobService } from '../../jobs/index.js';
import type {
  CallContext,
  GenerationRequest,
  GenerationService,
  ProviderRegistry,
} from '../../models/index.js';
import { createHashingProvider } from '../../models/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
import type { LanguageModelUsage, StreamPart } from '../../spec/language-model.js';
import type { MetadataFilter } from '../../spec/lexical-index.js';
import type { RerankModelV1 } from '../../spec/rerank-model.js';
import { loadDocument } from '../loading/load-document.js';
import { builtInRerankModel } from '../rerank/built-in.js';
import type { RetrievalMode, RetrievalResult, RetrievedChunk } from '../retrieval/retrieve.js';
import {
  type AnswerLanguage,
  type Claim,
  dontKnow,
  fitContexts,
  judgePrompt,
  questionLanguage,
  renderAnswerPrompt,
  retrievalSupport,
  verifyClaims,
} from './answer.js';
import { pgvectorTable } from './collection-index.js';
import { type CollectionRow, CollectionStore, parseCollectionConfig } from './collection-store.js';
import { ExperimentRunner } from './experiments.js';
import { chunksFor, IngestionService } from './ingestion.js';
import { INJECTION_FLAG_SCORE } from './prepare-document.js';

const builtinHashing = createHashingProvider();

/** The injection rule a collection's scan applies when indexing (`scan_injection`), as a policy. */
const indexScan = (() => {
  const input = defaultPolicy().input;
  return {
    ...input,
    injection: {
      ...input.injection,
      enabled: true,
      action: 'block' as const,
      threshold: INJECTION_FLAG_SCORE,
    },
  };
})();

export interface RagCaller {
  projectId: string;
  keyId: string | null;
  actor: string | null;
  signal?: AbortSignal | undefined;
  /** The guardrail policy an answer runs under (resolved by the caller, as for any model call). */
  guardrails?: GuardrailRequest | undefined;
  /** The request being served: the answer's guardrail decisions are recorded under it. */
  requestId?: string | undefined;
}

export interface RagServiceOptions {
  db: DatabaseV1;
  /** Runs ingestion (`rag.ingest`) and experiments (`rag.experiment`); registered here, started by the runtime. */
  jobs: JobService;
  registry: ProviderRegistry;
  generation: GenerationService;
  dataDir: string;
  logger: Logger;
  metrics?: KeelMetrics;
  /** Where collection, configuration and document changes are recorded. */
  audit?: AuditRecorder;
  /** Where the policy's decisions about retrieved passages are recorded (and their span hashes keyed). */
  guardrails?: Pick<GuardrailService, 'record' | 'secretKey'> | undefined;
}

/** How often a search checks for documents committed through other replicas (at most). */
const CATCH_UP_INTERVAL_MS = 250;

/** The model call that writes an answer: the collection's template and answer settings. */
function answerRequest(
  question: string,
  prepared: { model: string; contexts: RetrievedChunk[]; config: CollectionConfig },
  caller: RagCaller,
): GenerationRequest {
  const answer = prepared.config.answer;
  const signal = caller.signal;
  return {
    ...(caller.guardrails ? { guardrails: caller.guardrails } : {}),
    model: prepared.model,
    prompt: renderAnswerPrompt(question, prepared.contexts, prepared.config),
    parameters: {
      decodingMethod: answer.temperature > 0 ? 'sample' : 'greedy',
      temperature: answer.temperature,
      maxNewTokens: answer.max_new_tokens,
    },
    ...(signal ? { abortSignal: signal } : {}),
  };
}

/** A question the policy blocked is refused as on every other model route (`guardrail_blocked`). */
function refuseBlockedQuestion(outcome: GuardrailOutcome | undefined): void {
  if (outcome?.blocked !== 'input') return;
  const types = [
    ...new Set(
      outcome.input.filter((decision) => decision.action === 'block').map((decision) => decision.type),
    ),
  ];
  throw new KeelError(
    'guardrail_blocked',
    `The question was rejected by guardrail policy "${outcome.policy}" (${types.join(', ')}).`,
    { data: { policy: outcome.policy, types } },
  );
}

const askContext = (caller: RagCaller): CallContext => ({
  projectId: caller.projectId,
  keyId: caller.keyId,
  endpoint: '/api/v1/collections/ask',
  ...(caller.requestId ? { requestId: caller.requestId } : {}),
});

function hitJson(hit: RetrievedChunk): SearchHit {
  const flags = String(hit.chunk.metadata?.flags ?? '')
    .split(',')
    .filter(Boolean);
  return {
    chunk_id: hit.chunk.id,
    document_id: hit.chunk.documentId,
    document: String(hit.chunk.metadata?.document ?? hit.chunk.documentId),
    text: hit.chunk.text,
    score: hit.score,
    scores: Object.fromEntries(Object.entries(hit.scores).filter(([, v]) => v !== undefined)) as Record<
      string,
      number
    >,
    start: hit.chunk.start ?? null,
    end: hit.chunk.end ?? null,
    pages: hit.chunk.pages ?? null,
    flags,
    ...(hit.window ? { window: hit.window.map((chunk) => ({ chunk_id: chunk.id, text: chunk.text })) } : {}),
  };
}

/** Which parts of a configuration change force re-chunking or re-embedding. */
function needsReindex(before: CollectionConfig, after: CollectionConfig): boolean {
  return (
    JSON.stringify(before.loader) !== JSON.stringify(after.loader) ||
    JSON.stringify(before.chunker) !== JSON.stringify(after.chunker) ||
    before.embedder !== after.embedder ||
    before.scan_injection !== after.scan_injection
  );
}

export interface SearchInput {
  query: string;
  top_k?: number | undefined;
  mode?: RetrievalMode | undefined;
  filter?: Record<string, unknown> | undefined;
  min_score?: number | undefined;
  window?: number | undefined;
}

export interface AskInput {
  question: string;
  model?: string | undefined;
  top_k?: number | undefined;
  mode?: RetrievalMode | undefined;
  filter?: Record<string, unknown> | undefined;
}

/** How an answer is made, beyond the question: a deployment's pinned configuration. */
export interface AskOptions {
  /**
   * Retrieval and answer settings in place of the collection's current ones (a deployment that
   * pins a configuration version). The index stays the collection's: loading, chunking and the
   * embedder are what its documents were indexed with.
   */
  config?: CollectionConfig | undefined;
}

export type AskEvent =
  | { type: 'contexts'; contexts: SearchHit[]; warnings: AskResponse['warnings'] }
  | { type: 'delta'; text: string }
  | { type: 'result'; result: AskResponse };

export class RagService {
  readonly store: CollectionStore;
  readonly ingestion: IngestionService;
  readonly experiments: ExperimentRunner;
  /** Queries whose keyword side found nothing while the vector side did (silent Korean misses, made visible). */
  readonly #retrievalWarnings: Counter<'code' | 'mode'>;

  constructor(readonly options: RagServiceOptions) {
    this.store = new CollectionStore(options.db, options.audit);
    this.#retrievalWarnings = new Counter({
      name: 'keel_rag_retrieval_warnings_total',
      help: 'Retrievals that carried a warning: keyword_no_match (keyword side empty, vector side not), vector_no_match.',
      labelNames: ['code', 'mode'],
      registers: options.metrics ? [options.metrics.registry] : [],
    });
    const embedderFor = (id: string, context?: CallContext) => this.embedder(id, context);
    this.ingestion = new IngestionService({
      db: options.db,
      store: this.store,
      jobs: options.jobs,
      dataDir: options.dataDir,
      audit: options.audit,
      logger: options.logger,
      embedderFor,
    });
    this.experiments = new ExperimentRunner({
      db: options.db,
      store: this.store,
      jobs: options.jobs,
      generation: options.generation,
      embedderFor,
    });
  }

  /**
   * A collection's embedder. `hashing:*` is built in: it answers even when the server was started
   * with a provider list that leaves the hashing provider out.
   */
  embedder(id: string, context?: CallContext): EmbeddingModelV1 {
    try {
      // Wrapped in the registry's middleware: metered for `context`'s project when given.
      return this.options.registry.embeddingModel(id, { context });
    } catch (error) {
      const [provider, ...rest] = id.split(':');
      if (provider !== 'hashing' || this.#registryHas('hashing')) throw error;
      return builtinHashing.embeddingModel(rest.join(':'));
    }
  }

  /** A built-in reranker (`keel/lexical-rerank`, `keel/lexical-ngram-rerank`) or a provider's. */
  #rerankModel(id: string): RerankModelV1 {
    return builtInRerankModel(id) ?? this.options.registry.rerankModel(id);
  }

  #registryHas(name: string): boolean {
    try {
      this.options.registry.provider(name);
      return true;
    } catch {
      return false;
    }
  }

  async startExperiment(caller: RagCaller, idOrName: string, request: ExperimentRequest) {
    const collection = await this.store.find(caller.projectId, idOrName);
    return this.experiments.start(caller.projectId, collection, request, caller.actor);
  }

  getExperiment(caller: RagCaller, id: string) {
    return this.experiments.get(caller.projectId, id);
  }

  async listExperiments(caller: RagCaller, idOrName: string) {
    const collection = await this.store.find(caller.projectId, idOrName);
    return this.experiments.list(collection.id);
  }

  /** Saves an experiment's best configuration as the collection's (a new configuration version). */
  async applyExperiment(caller: RagCaller, id: string) {
    const experiment = await this.experiments.get(caller.projectId, id);
    if (experiment.status !== 'succeeded' || !experiment.best) {
      throw new KeelError(
        'conflict',
        `Experiment ${id} has no best configuration (status ${experiment.status}).`,
      );
    }
    return this.updateConfig(
      caller,
      experiment.collection_id,
      experiment.best,
      `best configuration of experiment ${id}`,
    );
  }

  async create(
    caller: RagCaller,
    input: { name: string; description?: string | undefined; config?: unknown },
  ) {
    const config = parseCollectionConfig(input.config ?? {});
    this.#checkModels(config);
    return this.store.create(caller.projectId, { ...input, config, actor: caller.actor });
  }

  /** Refuses a configuration naming models no provider has, before anything is stored. */
  #checkModels(config: CollectionConfig): void {
    this.embedder(config.embedder);
    if (config.answer.model) this.options.registry.languageModel(config.answer.model);
    if (config.answer.judge_model) this.options.registry.languageModel(config.answer.judge_model);
  }

  /** A collection with its document and chunk counts. */
  get(caller: RagCaller, idOrName: string) {
    return this.store.get(caller.projectId, idOrName);
  }

  /** A collection, without counts. */
  find(caller: RagCaller, idOrName: string) {
    return this.store.find(caller.projectId, idOrName);
  }

  list(caller: RagCaller) {
    return this.store.list(caller.projectId);
  }

  /** The collection's configuration as of `version`, or null when the collection or the version is gone. */
  async configAt(caller: RagCaller, idOrName: string, version: number): Promise<CollectionConfig | null> {
    return this.store.configAt(caller.projectId, idOrName, version);
  }

  /** A new configuration version; changed loading, chunking or embedding re-indexes in the background. */
  async updateConfig(caller: RagCaller, idOrName: string, input: unknown, message?: string) {
    const collection = await this.store.find(caller.projectId, idOrName);
    const config = parseCollectionConfig(input);
    this.#checkModels(config);
    const version = await this.store.updateConfig(
      caller.projectId,
      collection.id,
      config,
      message,
      caller.actor,
    );
    // Retrieval and answer settings are read per call; the cached index follows the embedder and
    // vector store by itself (its cache key), so only loading, chunking or embedding re-index.
    const job = needsReindex(collection.config, config)
      ? await this.ingestion.reindex(caller.projectId, collection.id, caller.actor)
      : null;
    return { collection: await this.store.get(caller.projectId, collection.id), version, job };
  }

  async delete(caller: RagCaller, idOrName: string): Promise<void> {
    const collection = await this.store.find(caller.projectId, idOrName);
    await this.store.delete(caller.projectId, collection.id);
    this.ingestion.invalidate(collection.id);
    if (collection.config.index.vector === 'pgvector')
      await this.options.db.exec(`DROP TABLE IF EXISTS ${pgvectorTable(collection.id)}`);
    const file = path.join(this.options.dataDir, 'rag', `${collection.id}.usearch`);
    await rm(file, { force: true });
    await rm(`${file}.manifest.json`, { force: true });
  }

  async addDocuments(
    caller: RagCaller,
    idOrName: string,
    documents: {
      name: string;
      mediaType: string | undefined;
      data: Uint8Array;
      metadata?: Record<string, string | number | boolean> | undefined;
      providedChunks?: string[] | undefined;
    }[],
  ) {
    const collection = await this.store.find(caller.projectId, idOrName);
    const rejected: {
      name: string;
      id: null;
      outcome: 'rejected';
      error: { code: string; message: string };
    }[] = [];
    const accepted = [];
    for (const document of documents) {
      if (document.data.length === 0) {
        rejected.push({
          name: document.name,
          id: null,
          outcome: 'rejected',
          error: { code: 'unprocessable', message: `${document.name} is empty.` },
        });
        continue;
      }
      accepted.push({
        ...document,
        metadata: document.metadata ?? {},
        providedChunks: document.providedChunks,
      });
    }
    const { job, outcomes } = accepted.length
      ? await this.ingestion.enqueue(caller.projectId, collection.id, accepted, caller.actor)
      : { job: null, outcomes: [] };
    return { job, documents: [...outcomes, ...rejected] };
  }

  async documents(caller: RagCaller, idOrName: string) {
    const collection = await this.store.find(caller.projectId, idOrName);
    return this.store.documents(collection.id);
  }

  async deleteDocument(caller: RagCaller, idOrName: string, documentId: string) {
    const collection = await this.store.find(caller.projectId, idOrName);
    const document = await this.store.deleteDocument(collection.id, documentId);
    const index = await this.#cachedIndex(collection);
    await index?.removeDocument(document.id);
    await index?.persist();
    return document;
  }

  async #cachedIndex(collection: CollectionRow) {
    return this.ingestion.index(collection.id, collection.config).catch(() => undefined);
  }

  /** An ingestion job of the collection (a job of another collection is "not found"). */
  async job(caller: RagCaller, idOrName: string, jobId: string) {
    const collection = await this.store.find(caller.projectId, idOrName);
    const job = await this.ingestion.job(caller.projectId, jobId);
    if (job.collection_id !== collection.id)
      throw new KeelError('not_found', `Ingestion job "${jobId}" not found.`);
    return job;
  }

  /** The job's snapshots as it progresses, until it ends; checked like `job` before the first. */
  async followJob(caller: RagCaller, idOrName: string, jobId: string, signal?: AbortSignal) {
    await this.job(caller, idOrName, jobId);
    return this.ingestion.follow(caller.projectId, jobId, signal);
  }

  async #retrieve(
    collection: CollectionRow,
    input: SearchInput,
    caller: RagCaller,
    endpoint: string,
    settings: CollectionConfig = collection.config,
  ): Promise<RetrievalResult> {
    const signal = caller.signal;
    const index = await this.ingestion.index(collection.id, collection.config);
    // Retrieval settings from `settings` (a pinned version's); the embedder is the index's.
    const config = { ...settings, embedder: collection.config.embedder };
    // Documents committed through another replica: one cheap version check, then only what changed.
    await index.catchUp({ minIntervalMs: CATCH_UP_INTERVAL_MS });
    const vectorWeight =
      config.retrieval.vector_weight ?? (config.embedder.startsWith('hashing:') ? 0.05 : 0.5);
    return index
      .retrieve({
        query: input.query,
        mode: input.mode ?? config.retrieval.mode,
        topK: input.top_k ?? config.retrieval.top_k,
        fusion:
          config.retrieval.fusion === 'rrf' ? { method: 'rrf', k: 60 } : { method: 'weighted', vectorWeight },
        ...(input.filter ? { filter: input.filter as MetadataFilter } : {}),
        ...((input.min_score ?? config.retrieval.min_score) !== undefined
          ? { minScore: (input.min_score ?? config.retrieval.min_score)! }
          : {}),
        window: input.window ?? config.retrieval.window,
        ...(config.retrieval.rerank_model
          ? { rerank: { model: this.#rerankModel(config.retrieval.rerank_model) } }
          : {}),
        ...(signal ? { abortSignal: signal } : {}),
        // The query's embedding is metered to the caller's project, like every model call.
        context: { projectId: caller.projectId, keyId: caller.keyId, endpoint },
      })
      .then((result) => {
        for (const warning of result.warnings)
          this.#retrievalWarnings.inc({ code: warning.code, mode: result.mode });
        return result;
      });
  }

  async search(caller: RagCaller, idOrName: string, input: SearchInput) {
    const collection = await this.store.find(caller.projectId, idOrName);
    const result = await this.#retrieve(collection, input, caller, 'rag.search');
    return { mode: result.mode, hits: result.hits.map(hitJson), warnings: result.warnings };
  }

  /** Retrieval and the decisions before the model: contexts kept, warnings, and whether to answer at all. */
  async #prepareAnswer(caller: RagCaller, idOrName: string, input: AskInput, options: AskOptions = {}) {
    const collection = await this.store.find(caller.projectId, idOrName);
    const config = options.config ?? collection.config;
    const model = input.model ?? config.answer.model;
    if (!model) {
      throw new KeelError(
        'invalid_request',
        'Name a model to answer with: `model` in the request or `answer.model` in the collection configuration.',
        {
          issues: [
            {
              code: 'missing_model',
              path: ['model'],
              message: 'required when the collection has no answer model',
            },
          ],
        },
      );
    }
    this.options.registry.languageModel(model);
    const retrieved = await this.#retrieve(
      collection,
      { query: input.question, top_k: input.top_k, mode: input.mode, filter: input.filter },
      caller,
      'rag.ask',
      config,
    );
    const warnings: AskResponse['warnings'] = retrieved.warnings.map((w) => ({
      code: w.code,
      message: w.message,
    }));
    const flagged = retrieved.hits.filter((hit) =>
      String(hit.chunk.metadata?.flags ?? '').includes('indirect_injection'),
    );
    let contexts = retrieved.hits.filter((hit) => !flagged.includes(hit));
    // Passages flagged when indexed are left out whatever the call's policy: recorded as the
    // injection detector's blocks (no policy: the collection's scan_injection left them out).
    const key = this.options.guardrails?.secretKey;
    this.#recordScreened(
      caller,
      flagged,
      screenDocuments(
        flagged.map((hit) => hit.chunk.text),
        indexScan,
        key,
      ),
      null,
    );
    // The call's guardrail policy reads the passages as documents now, whenever they were indexed.
    const screened = screenDocuments(
      contexts.map((hit) => hit.chunk.text),
      caller.guardrails?.policy.input,
      key,
    );
    this.#recordScreened(caller, contexts, screened, caller.guardrails?.policyName ?? null);
    if (screened.length) {
      const byIndex = new Map(screened.map((entry) => [entry.index, entry]));
      contexts = contexts.flatMap((hit, index) => {
        const entry = byIndex.get(index);
        if (!entry) return [hit];
        if (entry.blocked) {
          flagged.push(hit);
          return [];
        }
        return [entry.text === hit.chunk.text ? hit : { ...hit, chunk: { ...hit.chunk, text: entry.text } }];
      });
    }
    if (flagged.length) {
      warnings.push({
        code: 'indirect_injection',
        message: `${flagged.length} retrieved passage${flagged.length > 1 ? 's were' : ' was'} left out: ${flagged.length > 1 ? 'they contain' : 'it contains'} instructions addressed to an AI assistant.`,
      });
    }
    const support = retrievalSupport(
      input.question,
      contexts.map((hit) => hit.chunk),
    );
    const language = questionLanguage(input.question);
    let answerable = contexts.length > 0 && support >= config.answer.min_support;
    if (!answerable) {
      warnings.push({
        code: 'weak_retrieval',
        message: `The retrieved passages cover ${Math.round(support * 100)}% of the question's terms (minimum ${Math.round(config.answer.min_support * 100)}%): answered "don't know" without calling the model.`,
      });
      return { collection, config, model, contexts, warnings, answerable, language, dropped: [] };
    }
    const fitted = await this.#fitToWindow(input.question, contexts, config, model, caller.signal);
    if (fitted.dropped.length) {
      const kept = fitted.kept.length;
      warnings.push({
        code: fitted.kept.length ? 'context_window' : 'context_window_exceeded',
        message: `${fitted.dropped.length} lower-ranked passage${fitted.dropped.length > 1 ? 's were' : ' was'} left out to fit ${model}'s context window of ${fitted.window} tokens (${kept ? `prompt ${fitted.promptTokens}` : 'not even the first passage fits'}, answer up to ${config.answer.max_new_tokens}; counted with the ${fitted.counted === 'tokenizer' ? "model's tokenizer" : 'a safe estimate'}); see dropped[].`,
      });
      if (!kept) answerable = false;
    }
    const dropped = fitted.dropped.map((entry) => ({
      ...hitJson(entry.chunk),
      rank: entry.rank,
      tokens: entry.tokens,
    }));
    return { collection, config, model, contexts: fitted.kept, warnings, answerable, language, dropped };
  }

  /**
   * What the policy did to each screened passage, in the guardrail record like any other decision:
   * under the request's id and policy, direction `context`, the passage's chunk id as the subject.
   */
  #recordScreened(
    caller: RagCaller,
    contexts: readonly RetrievedChunk[],
    screened: readonly ScreenedDocument[],
    policy: string | null,
  ) {
    const guardrails = this.options.guardrails;
    if (!guardrails) return;
    for (const entry of screened)
      guardrails.record(entry.decisions, {
        projectId: caller.projectId,
        keyId: caller.keyId,
        source: askContext(caller).endpoint,
        policy,
        ...(caller.requestId ? { requestId: caller.requestId } : {}),
        subject: contexts[entry.index]!.chunk.id,
      });
  }

  /** The passages that fit the answering model's context window (its tokenizer when it has one). */
  async #fitToWindow(
    question: string,
    contexts: RetrievedChunk[],
    config: CollectionConfig,
    modelId: string,
    signal: AbortSignal | undefined,
  ) {
    const model = this.options.registry.languageModel(modelId);
    const window = await model.contextLength().catch(() => undefined);
    const count = model.capabilities.tokenize
      ? async (text: string) =>
          (await model.tokenize(text, signal ? { abortSignal: signal } : {})).tokens.length
      : undefined;
    try {
      return await fitContexts(question, contexts, config, {
        window,
        answerTokens: config.answer.max_new_tokens,
        count,
      });
    } catch {
      // A tokenizer that fails (a remote endpoint down) should not stop the answer: estimate instead.
      return fitContexts(question, contexts, config, { window, answerTokens: config.answer.max_new_tokens });
    }
  }

  async #finish(
    prepared: {
      config: CollectionConfig;
      model: string;
      contexts: RetrievedChunk[];
      warnings: AskResponse['warnings'];
      dropped: AskResponse['dropped'];
    },
    answer: string,
    usage: LanguageModelUsage,
    context: CallContext,
  ): Promise<AskResponse> {
    const { config, contexts } = prepared;
    const judge =
      config.answer.verify === 'judge'
        ? async (claim: string, passage: string) => {
            const verdict = await this.options.generation.generate(
              {
                model: config.answer.judge_model ?? prepared.model,
                prompt: judgePrompt(claim, passage),
                parameters: { decodingMethod: 'greedy', maxNewTokens: 3 },
              },
              context,
            );
            return /^\s*(yes|예|네)/i.test(verdict.text);
          }
        : undefined;
    const claims: Claim[] = await verifyClaims(
      answer,
      contexts.map((hit) => hit.chunk),
      config.answer.verify,
      judge,
    );
    const cited = [...new Set(claims.flatMap((claim) => claim.citations))]
      .filter((n) => contexts[n - 1])
      .sort((a, b) => a - b);
    const unsupported = claims.filter((claim) => !claim.supported);
    const warnings = [...prepared.warnings];
    if (unsupported.length) {
      warnings.push({
        code: 'unsupported_claims',
        message: `${unsupported.length} of ${claims.length} sentence${claims.length > 1 ? 's are' : ' is'} not supported by the passage${unsupported.length > 1 ? 's' : ''} cited (see claims[].supported).`,
      });
    }
    // An answer that cites no passage rests on nothing retrieved: it is not reported as answered.
    const grounded = cited.length > 0 || config.answer.verify === 'off';
    if (!grounded) {
      warnings.push({
        code: 'no_citations',
        message:
          'The answer cites none of the passages, so it is not reported as answered (status unsupported): treat it as "don\'t know".',
      });
    }
    return {
      answer,
      answered: grounded,
      status: grounded ? 'answered' : 'unsupported',
      dropped: prepared.dropped,
      citations: cited.map((n) => {
        const chunk = contexts[n - 1]!.chunk;
        return {
          marker: n,
          chunk_id: chunk.id,
          document_id: chunk.documentId,
          document: String(chunk.metadata?.document ?? chunk.documentId),
          pages: chunk.pages ?? null,
          start: chunk.start ?? null,
          end: chunk.end ?? null,
          quote: chunk.text.length > 300 ? `${chunk.text.slice(0, 300)}…` : chunk.text,
        };
      }),
      claims,
      contexts: contexts.map(hitJson),
      model: prepared.model,
      usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
      warnings,
    };
  }

  #notAnswered(prepared: {
    model: string;
    contexts: RetrievedChunk[];
    warnings: AskResponse['warnings'];
    language: AnswerLanguage;
    dropped: AskResponse['dropped'];
  }): AskResponse {
    return {
      answer: dontKnow[prepared.language],
      answered: false,
      status: 'dont_know',
      dropped: prepared.dropped,
      citations: [],
      claims: [],
      contexts: prepared.contexts.map(hitJson),
      model: null,
      usage: { input_tokens: 0, output_tokens: 0 },
      warnings: prepared.warnings,
    };
  }

  async ask(
    caller: RagCaller,
    idOrName: string,
    input: AskInput,
    options?: AskOptions,
  ): Promise<AskResponse> {
    const prepared = await this.#prepareAnswer(caller, idOrName, input, options);
    if (!prepared.answerable) return this.#notAnswered(prepared);
    const context = askContext(caller);
    const outcome = await this.options.generation.generate(
      answerRequest(input.question, prepared, caller),
      context,
    );
    refuseBlockedQuestion(outcome.guardrails);
    return this.#finish(prepared, outcome.text, outcome.usage, context);
  }

  /** Streams the answer; citations and claim checks arrive with the final `result` event. */
  async askStream(
    caller: RagCaller,
    idOrName: string,
    input: AskInput,
    options?: AskOptions,
  ): Promise<AsyncGenerator<AskEvent>> {
    const prepared = await this.#prepareAnswer(caller, idOrName, input, options);
    const self = this;
    if (!prepared.answerable) {
      const result = this.#notAnswered(prepared);
      return (async function* () {
        yield { type: 'contexts', contexts: result.contexts, warnings: result.warnings } as AskEvent;
        yield { type: 'delta', text: result.answer } as AskEvent;
        yield { type: 'result', result } as AskEvent;
      })();
    }
    const context = askContext(caller);
    const outcome = await this.options.generation.stream(
      answerRequest(input.question, prepared, caller),
      context,
    );
    refuseBlockedQuestion(outcome.guardrails);
    return (async function* () {
      yield {
        type: 'contexts',
        contexts: prepared.contexts.map(hitJson),
        warnings: prepared.warnings,
      } as AskEvent;
      let text = '';
      let usage: LanguageModelUsage = { inputTokens: 0, outputTokens: 0 };
      for await (const part of outcome.stream as AsyncIterable<StreamPart>) {
        if (part.type === 'text-delta') {
          text += part.text;
          yield { type: 'delta', text: part.text } as AskEvent;
        } else if (part.type === 'finish') usage = part.usage;
        else if (part.type === 'error') throw part.error;
      }
      yield { type: 'result', result: await self.#finish(prepared, text, usage, context) } as AskEvent;
    })();
  }

  /** The chunks a chunker configuration would make of a text or an uploaded file (nothing stored). */
  async preview(input: {
    text?: string | undefined;
    data?: Uint8Array | undefined;
    file_name?: string | undefined;
    media_type?: string | undefined;
    chunker?: Record<string, unknown> | undefined;
  }) {
    const parsed = chunkerConfigSchema.safeParse(input.chunker ?? {});
    if (!parsed.success) {
      throw new KeelError('invalid_request', 'The chunker configuration is invalid.', {
        issues: parsed.error.issues.map((issue) => ({
          code: issue.code,
          path: ['chunker', ...issue.path.map(String)],
          message: issue.message,
        })),
      });
    }
    const document = await loadDocument({
      data: input.data ?? new TextEncoder().encode(input.text ?? ''),
      ...(input.file_name ? { fileName: input.file_name } : {}),
      ...(input.media_type ? { mediaType: input.media_type } : {}),
    });
    if (!document.text.trim()) throw new KeelError('unprocessable', 'The document has no text to chunk.');
    const config = parseCollectionConfig({ chunker: parsed.data });
    const chunks = chunksFor(document, config);
    return {
      chunks: chunks.map((chunk) => ({
        index: chunk.index,
        text: chunk.text,
        start: chunk.start,
        end: chunk.end,
        kind: chunk.kind,
        pages: chunk.pages ?? null,
        heading_path: chunk.headingPath ?? null,
        characters: chunk.text.length,
      })),
      warnings: document.warnings,
    };
  }
}
