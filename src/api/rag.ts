/**
 * @module api/rag
 * Shapes of the RAG API: collections and their versioned configuration, documents, ingestion
 * jobs, search, answers with citations, chunk previews and experiments.
 */
import { z } from 'zod';

export const chunkStrategies = ['fixed', 'recursive', 'sentence', 'markdown', 'records'] as const;
export const retrievalModes = ['vector', 'keyword', 'hybrid'] as const;

const modelId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*:.+$/, 'provider:model');

export const chunkerConfigSchema = z
  .strictObject({
    strategy: z.enum(chunkStrategies).default('recursive'),
    size: z.number().int().min(20).max(20_000).default(800),
    overlap: z.number().int().min(0).max(10_000).default(80),
    unit: z.enum(['characters', 'tokens']).default('characters'),
  })
  .refine((value) => value.overlap < value.size, {
    message: 'overlap must be smaller than size',
    path: ['overlap'],
  });

export const retrievalConfigSchema = z.strictObject({
  mode: z.enum(retrievalModes).default('hybrid'),
  top_k: z.number().int().min(1).max(50).default(5),
  fusion: z.enum(['weighted', 'rrf']).default('weighted'),
  /** Weight of the vector side in weighted fusion (default 0.05 for the lexical hashing embedder, 0.5 otherwise). */
  vector_weight: z.number().min(0).max(1).optional(),
  min_score: z.number().optional(),
  window: z.number().int().min(0).max(5).default(0),
  /** `provider:model`, or a built-in reranker that needs no model. */
  rerank_model: z.union([modelId, z.enum(['keel/lexical-rerank', 'keel/lexical-ngram-rerank'])]).optional(),
});

export const collectionConfigSchema = z.strictObject({
  loader: z
    .strictObject({
      ocr: z.enum(['auto', 'off']).default('auto'),
      ocr_languages: z
        .string()
        .regex(/^[a-z_]{3,8}(\+[a-z_]{3,8})*$/)
        .default('kor+eng'),
    })
    .prefault({}),
  chunker: chunkerConfigSchema.prefault({}),
  /** An embedding model, `provider:model`; the built-in `hashing:ngram-v1` needs no model (lexical). */
  embedder: modelId.default('hashing:ngram-v1'),
  index: z
    .strictObject({
      vector: z.enum(['usearch', 'pgvector']).default('usearch'),
    })
    .prefault({}),
  retrieval: retrievalConfigSchema.prefault({}),
  answer: z
    .strictObject({
      model: modelId.optional(),
      /** Answer template with {{question}} and {{contexts}}; Keel's Korean/English default when absent. */
      template: z.string().min(1).max(20_000).optional(),
      max_new_tokens: z.number().int().min(1).max(8192).default(512),
      temperature: z.number().min(0).max(2).default(0),
      /** Share of the question's terms the retrieved passages must contain, below which the answer is "I don't know". */
      min_support: z.number().min(0).max(1).default(0.3),
      /** How cited claims are checked: token overlap with the cited passage, a judge model, or not at all. */
      verify: z.enum(['overlap', 'judge', 'off']).default('overlap'),
      judge_model: modelId.optional(),
    })
    .prefault({}),
  /** Scan documents for instructions addressed to the assistant (indirect prompt injection) at ingestion. */
  scan_injection: z.boolean().default(true),
});
export type CollectionConfig = z.infer<typeof collectionConfigSchema>;
export type CollectionConfigInput = z.input<typeof collectionConfigSchema>;

export const collectionNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lowercase letters, digits, dot, dash and underscore, at most 64');

export const createCollectionSchema = z.strictObject({
  name: collectionNameSchema,
  description: z.string().max(2000).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

export const updateConfigSchema = z.strictObject({
  config: z.record(z.string(), z.unknown()),
  message: z.string().max(500).optional(),
});

export const collectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  config: z.record(z.string(), z.unknown()),
  config_version: z.number().int(),
  documents: z.number().int(),
  chunks: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const documentSchema = z.object({
  id: z.string(),
  name: z.string(),
  media_type: z.string().nullable(),
  content_hash: z.string(),
  size_bytes: z.number().int(),
  status: z.enum(['pending', 'ready', 'failed']),
  chunk_count: z.number().int(),
  pages: z.number().int().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  warnings: z.array(z.unknown()),
  error: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const textDocumentSchema = z.strictObject({
  name: z.string().min(1).max(300),
  text: z.string().min(1, 'text must not be empty').max(20_000_000),
  media_type: z
    .enum([
      'text/plain',
      'text/markdown',
      'text/html',
      'text/csv',
      'application/json',
      'application/x-ndjson',
    ])
    .optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Bring your own chunks: used as they are, in order. */
  chunks: z.array(z.string().min(1)).min(1).max(100_000).optional(),
});
export const addDocumentsSchema = z.strictObject({ documents: z.array(textDocumentSchema).min(1).max(1000) });

export const jobSchema = z.object({
  id: z.string(),
  collection_id: z.string(),
  kind: z.enum(['ingest', 'reindex']),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  chunks: z.number().int(),
  errors: z.array(z.object({ document: z.string(), code: z.string(), message: z.string() })),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type IngestionJob = z.infer<typeof jobSchema>;

export const addDocumentsResponseSchema = z.object({
  job: jobSchema.nullable(),
  documents: z.array(
    z.object({
      name: z.string(),
      id: z.string().nullable(),
      outcome: z.enum(['queued', 'unchanged', 'rejected']),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});

const filterSchema = z.record(z.string(), z.unknown());

export const searchRequestSchema = z.strictObject({
  query: z.string().min(1, 'query must not be empty').max(8000, 'at most 8,000 characters'),
  top_k: z.number().int().min(1).max(100).optional(),
  mode: z.enum(retrievalModes).optional(),
  filter: filterSchema.optional(),
  min_score: z.number().optional(),
  window: z.number().int().min(0).max(5).optional(),
});

export const searchHitSchema = z.object({
  chunk_id: z.string(),
  document_id: z.string(),
  document: z.string(),
  text: z.string(),
  score: z.number(),
  scores: z.record(z.string(), z.number()),
  start: z.number().nullable(),
  end: z.number().nullable(),
  pages: z.array(z.number()).nullable(),
  flags: z.array(z.string()),
  window: z.array(z.object({ chunk_id: z.string(), text: z.string() })).optional(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchResponseSchema = z.object({
  mode: z.enum(retrievalModes),
  hits: z.array(searchHitSchema),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
});

export const askRequestSchema = z.strictObject({
  question: z.string().min(1, 'question must not be empty').max(8000, 'at most 8,000 characters'),
  model: modelId.optional(),
  top_k: z.number().int().min(1).max(50).optional(),
  mode: z.enum(retrievalModes).optional(),
  filter: filterSchema.optional(),
  stream: z.boolean().default(false),
});

export const citationSchema = z.object({
  marker: z.number().int(),
  chunk_id: z.string(),
  document_id: z.string(),
  document: z.string(),
  pages: z.array(z.number()).nullable(),
  start: z.number().nullable(),
  end: z.number().nullable(),
  quote: z.string(),
});

export const claimSchema = z.object({
  text: z.string(),
  citations: z.array(z.number().int()),
  supported: z.boolean(),
  support: z.number(),
});

export const askResponseSchema = z.object({
  answer: z.string(),
  /** False unless status is `answered`. */
  answered: z.boolean(),
  status: z
    .enum(['answered', 'dont_know', 'unsupported'])
    .describe(
      'answered: the answer cites passages; dont_know: retrieval was too weak (or nothing fit the context window), the model was not called; unsupported: the model answered but cited no passage',
    ),
  /** Passages retrieved but left out (lowest-ranked first to go) so the prompt fits the model's context window. */
  dropped: z.array(searchHitSchema.extend({ rank: z.number().int(), tokens: z.number().int() })),
  citations: z.array(citationSchema),
  claims: z.array(claimSchema),
  contexts: z.array(searchHitSchema),
  model: z.string().nullable(),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
});
export type AskResponse = z.infer<typeof askResponseSchema>;

export const previewRequestSchema = z.strictObject({
  text: z.string().min(1).max(20_000_000),
  media_type: textDocumentSchema.shape.media_type,
  chunker: z.record(z.string(), z.unknown()).optional(),
});

export const experimentQuestionSchema = z.strictObject({
  question: z.string().min(1).max(8000),
  /** Accepted answers (exact match and token F1 take the best). */
  answers: z.array(z.string().min(1)).max(20).optional(),
  /** Gold passages: a retrieved chunk counts when it contains one (or most of its words). */
  passages: z.array(z.string().min(1)).max(20).optional(),
});

export const experimentRequestSchema = z.strictObject({
  questions: z.array(experimentQuestionSchema).min(1).max(2000),
  grid: z.strictObject({
    chunker: z.array(z.enum(chunkStrategies)).min(1).max(5).optional(),
    size: z.array(z.number().int().min(20).max(20_000)).min(1).max(6).optional(),
    overlap: z.array(z.number().int().min(0).max(10_000)).min(1).max(4).optional(),
    embedder: z.array(modelId).min(1).max(4).optional(),
    top_k: z.array(z.number().int().min(1).max(50)).min(1).max(5).optional(),
    mode: z.array(z.enum(retrievalModes)).min(1).max(3).optional(),
    model: z.array(modelId).min(1).max(4).optional(),
    template: z.array(z.string().min(1).max(20_000)).min(1).max(4).optional(),
    temperature: z.array(z.number().min(0).max(2)).min(1).max(3).optional(),
  }),
  /** Leaderboard order (default mrr, or token_f1 when answers are generated). */
  metric: z
    .enum(['recall_at_k', 'mrr', 'ndcg', 'exact_match', 'token_f1', 'faithfulness', 'citation_precision'])
    .optional(),
  /** At most this many configurations (the grid is refused when larger). */
  max_runs: z.number().int().min(1).max(200).default(48),
});
export type ExperimentRequest = z.infer<typeof experimentRequestSchema>;

export const experimentSchema = z.object({
  id: z.string(),
  collection_id: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  metric: z.string(),
  runs: z.number().int(),
  results: z.array(
    z.object({
      rank: z.number().int(),
      config: z.record(z.string(), z.unknown()),
      metrics: z.record(z.string(), z.number()),
      seconds: z.number(),
      /** The configuration as an evaluation run (`/api/v1/evaluations/{id}`). */
      run_id: z.string().nullable().optional(),
    }),
  ),
  best: z.record(z.string(), z.unknown()).nullable(),
  error: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type Experiment = z.infer<typeof experimentSchema>;
