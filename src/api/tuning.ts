/**
 * @module api/tuning
 * Request and response schemas of `/api/v1/tuning/jobs` and `/api/v1/heads`.
 */
import { z } from '@hono/zod-openapi';

/** A training or search seed: the same seed gives the same result. */
const seedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31);

const labelled = z.object({ text: z.string().max(20_000), label: z.string().min(1).max(200) });
/** One tokenised sentence and a tag per token (BIO tags such as `B-PER`, `I-PER`, `O`). */
const tagged = z.object({
  tokens: z.array(z.string().max(200)).min(1).max(2000),
  tags: z.array(z.string().min(1).max(100)).min(1).max(2000),
});

export const headJobRequestSchema = z
  .object({
    type: z.literal('head'),
    name: z.string().min(1).max(63),
    /** `logistic` (default), `mlp` (one hidden layer) or `tagger` (labels every token). */
    method: z.enum(['logistic', 'mlp', 'tagger']).optional(),
    /** Labelled texts (classifier heads). */
    examples: z.array(labelled).min(1).max(200_000).optional(),
    validation: z.array(labelled).max(100_000).optional(),
    /** Tagged sentences (the `tagger` method). */
    sentences: z.array(tagged).min(1).max(50_000).optional(),
    validation_sentences: z.array(tagged).max(20_000).optional(),
    source: z.string().max(500).optional(),
    options: z
      .object({
        seed: seedSchema.optional(),
        validation_fraction: z.number().gt(0).lt(1).optional(),
        max_epochs: z.number().int().min(1).max(200).optional(),
        patience: z.number().int().min(1).max(50).optional(),
        learning_rate: z.number().gt(0).max(100).optional(),
        l2: z.number().min(0).max(1).optional(),
        class_weights: z.enum(['balanced', 'none']).optional(),
        positive_label: z.string().min(1).max(200).optional(),
        max_false_positive_rate: z.number().min(0).max(1).optional(),
        calibration: z.enum(['temperature', 'platt']).optional(),
        hidden_units: z.number().int().min(2).max(512).optional(),
        /** Taggers: neighbours on each side that are features (default 2). */
        window: z.number().int().min(0).max(5).optional(),
        /** Taggers: how served texts are split into tokens (default `word`). */
        tokenization: z.enum(['word', 'char']).optional(),
      })
      .optional(),
    /** Register the trained version in a governance use case (it then needs approval for production). */
    governance: z.object({ use_case_id: z.string().min(1).max(100) }).optional(),
    features: z
      .object({
        dimensions: z
          .number()
          .int()
          .min(2 ** 8)
          .max(2 ** 22)
          .optional(),
        min_n: z.number().int().min(1).max(5).optional(),
        max_n: z.number().int().min(1).max(5).optional(),
        /**
         * A registry embedding model (`provider:model`) instead of hashed character n-grams (a
         * tagger embeds each token and its window).
         */
        model: z.string().min(3).max(300).optional(),
      })
      .optional(),
  })
  .superRefine((body, ctx) => {
    const tagger = body.method === 'tagger';
    if (tagger && !body.sentences)
      ctx.addIssue({ code: 'custom', path: ['sentences'], message: 'A tagger trains on sentences.' });
    if (!tagger && !body.examples)
      ctx.addIssue({ code: 'custom', path: ['examples'], message: 'A classifier head trains on examples.' });
  })
  .openapi('HeadJobRequest');

const classMetrics = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number(),
});

const spanMetrics = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number(),
});
const spanReportSchema = spanMetrics.extend({ per_type: z.record(z.string(), spanMetrics) });

export const headVersionSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    created_at: z.string(),
    kind: z.string(),
    labels: z.array(z.string()),
    features: z.record(z.string(), z.unknown()),
    hyper_parameters: z.record(z.string(), z.unknown()),
    dataset: z.record(z.string(), z.unknown()),
    metrics: z.object({
      accuracy: z.number(),
      macro_f1: z.number(),
      per_class: z.array(classMetrics),
      confusion: z.array(z.array(z.number())),
      count: z.number(),
    }),
    curve: z.array(z.object({ epoch: z.number(), train_loss: z.number(), validation_loss: z.number() })),
    best_epoch: z.number(),
    temperature: z.number(),
    calibration: z.record(z.string(), z.unknown()),
    base_encoder: z.string(),
    training_ms: z.number().nullable(),
    governance_asset_id: z.string().nullable(),
    operating_point: z.object({ positive_label: z.string(), threshold: z.number() }).nullable(),
    job_id: z.string().nullable(),
    model: z.string(),
    /** Taggers: span-level precision, recall and F1 on validation (exact type and edges). */
    spans: spanReportSchema.nullable(),
  })
  .openapi('HeadVersion');

export const classifyRequestSchema = z
  .object({
    texts: z.array(z.string().max(20_000)).min(1).max(1000),
    version: z.number().int().min(1).optional(),
  })
  .openapi('HeadClassifyRequest');

export const classifyResponseSchema = z
  .object({
    model: z.string(),
    version: z.number().int(),
    predictions: z.array(
      z.object({
        label: z.string(),
        scores: z.array(z.object({ label: z.string(), probability: z.number() })),
      }),
    ),
  })
  .openapi('HeadClassifyResponse');

export const tagResponseSchema = z
  .object({
    model: z.string(),
    version: z.number().int(),
    results: z.array(
      z.object({
        tokens: z.array(
          z.object({
            text: z.string(),
            start: z.number().int(),
            end: z.number().int(),
            tag: z.string(),
            probability: z.number(),
          }),
        ),
        entities: z.array(
          z.object({
            type: z.string(),
            text: z.string(),
            start: z.number().int(),
            end: z.number().int(),
            score: z.number(),
          }),
        ),
      }),
    ),
  })
  .openapi('HeadTagResponse');

export type HeadTagResponse = z.infer<typeof tagResponseSchema>;
/** A prompt-optimisation job: a template, a labelled dataset, a metric, a budget and a seed. */
export const promptJobRequestSchema = z.object({
  type: z.literal('prompt'),
  /** The template: `name`, `name@3` or `name@label`. */
  template: z.string().min(1).max(300),
  dataset: z.string().min(1).max(200),
  dataset_version: z.number().int().min(1).optional(),
  /** A label or reference metric to maximise (accuracy, exact_match, f1, rouge_l …). */
  metric: z.string().min(1).max(100),
  /** Model calls and tokens (prompt and output) the search may spend; both must be above 0. */
  budget: z.object({
    calls: z.number().int().min(0).max(1_000_000),
    tokens: z.number().int().min(0).max(1_000_000_000),
  }),
  seed: seedSchema.optional(),
  model: z.string().min(3).max(300).optional(),
  /** Instruction variants written by a person. */
  instructions: z.array(z.string().min(1).max(4000)).max(20).optional(),
  /** How many instruction rewrites the template's model proposes (default 2). */
  propose_instructions: z.number().int().min(0).max(10).optional(),
  few_shot: z
    .object({
      /** Example counts to try (default [3]; [] tries none). */
      k: z.array(z.number().int().min(1).max(20)).max(5).optional(),
      /** 0: most similar … 1: most diverse (default 0.3). */
      diversity: z.number().min(0).max(1).optional(),
      /** Also try examples retrieved per input (its nearest train items), not only one set (default true). */
      per_input: z.boolean().optional(),
    })
    .optional(),
  /** Combinations of instruction × few-shot × format tried after the greedy pass (default 3; 0 skips). */
  joint: z.number().int().min(0).max(20).optional(),
  /** Thresholds the stored evaluation runs (baseline and winner) are checked against. */
  thresholds: z
    .array(
      z.object({
        metric: z.string().min(1).max(100),
        min: z.number().optional(),
        max: z.number().optional(),
      }),
    )
    .max(20)
    .optional(),
  /** Register the saved version in this governance use case (it then needs approval for production). */
  governance: z.object({ use_case_id: z.string().min(1).max(100) }).optional(),
  /** Output-format constraints to try (default: the label set, or a short answer). */
  formats: z
    .array(
      z.object({ text: z.string().min(1).max(2000), schema: z.record(z.string(), z.unknown()).optional() }),
    )
    .max(10)
    .optional(),
  train_split: z.string().min(1).max(100).optional(),
  dev_split: z.string().min(1).max(100).optional(),
  /** A held-out split the untuned template and the winner are scored on after the search (their stored runs). */
  test_split: z.string().min(1).max(100).optional(),
  dev_size: z.number().int().min(1).max(1000).optional(),
});

/** The methods a training spec can be exported for. */
export const exportMethods = ['lora', 'qlora', 'full', 'prompt_tuning'] as const;

/**
 * Hyper-parameters of an exported training spec, with the ranges Keel accepts (a value outside
 * one is a coded `too_small`/`too_big` issue). Absent values take the export's defaults.
 */
export const exportHyperParametersSchema = z
  .object({
    epochs: z.number().int().min(1).max(100).optional(),
    learning_rate: z.number().positive().max(1).optional(),
    batch_size: z.number().int().min(1).max(4096).optional(),
    gradient_accumulation_steps: z.number().int().min(1).max(1024).optional(),
    lora_rank: z.number().int().min(1).max(1024).optional(),
    lora_alpha: z.number().positive().max(4096).optional(),
    lora_dropout: z.number().min(0).max(0.9).optional(),
    /** Modules the LoRA adapter replaces (default: every linear layer). */
    target_modules: z.array(z.string().min(1).max(100)).min(1).max(64).optional(),
    max_sequence_length: z.number().int().min(16).max(131_072).optional(),
    seed: seedSchema.optional(),
    /** The share of the train records held out for validation when the data has no validation split. */
    validation_fraction: z.number().min(0).max(0.5).optional(),
    /** Prompt tuning: the soft prompt's length in virtual tokens. */
    num_virtual_tokens: z.number().int().min(1).max(1000).optional(),
    /** Prompt tuning: initialise the soft prompt from this text (else at random). */
    init_text: z.string().min(1).max(2000).optional(),
    /** How a record is shown to the model: `{{input}}` marks the input (default `Input: {{input}} Output:`). */
    verbalizer: z.string().min(1).max(2000).includes('{{input}}').optional(),
  })
  .strict();

/**
 * A training-spec export: the data (an evaluation dataset version, or a JSONL/JSON file of
 * `{"input", "output"}` records among the project's files), a base model, a method and its
 * hyper-parameters, written as the job's files for a trainer that runs elsewhere.
 */
export const exportJobRequestSchema = z.object({
  type: z.literal('export'),
  name: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"'),
  base_model: z.string().min(1).max(300),
  method: z.enum(exportMethods),
  dataset: z.string().min(1).max(200).optional(),
  dataset_version: z.number().int().min(1).optional(),
  /** A file of the project (`PUT /api/v1/files/{name}`): JSONL or a JSON array of records. */
  file: z.string().min(1).max(512).optional(),
  /** A file of validation records (else a split of the data, see `validation_fraction`). */
  validation_file: z.string().min(1).max(512).optional(),
  hyper_parameters: exportHyperParametersSchema.optional(),
});

/**
 * `POST /api/v1/tuning/jobs`: a head (`type: head`), a prompt optimisation (`type: prompt`) or a
 * training-spec export (`type: export`).
 */
export const tuningJobRequestSchema = z.discriminatedUnion('type', [
  headJobRequestSchema,
  promptJobRequestSchema,
  exportJobRequestSchema,
]);

export type HeadJobRequest = z.input<typeof headJobRequestSchema>;
export type PromptJobRequest = z.input<typeof promptJobRequestSchema>;
export type ExportJobRequest = z.input<typeof exportJobRequestSchema>;
export type ExportMethod = (typeof exportMethods)[number];
export type ExportHyperParameters = z.infer<typeof exportHyperParametersSchema>;
export type HeadVersionJson = z.infer<typeof headVersionSchema>;
export type HeadClassifyResponse = z.infer<typeof classifyResponseSchema>;
