/**
 * @module api/red-team
 * The red-team API (`/api/v1/red-team`): probe sets in Korean and English, runs of a set against a
 * model, a Prompt Lab template, a RAG collection or a deployment under a guardrail policy (on the job service, kind
 * `evals.redteam`), and their reports — attack success rate per category × language, block rate,
 * and which guardrail caught what — with a per-probe drill-down.
 */
import { z } from 'zod';

export const probeCategories = [
  'direct_injection',
  'indirect_injection',
  'jailbreak',
  'system_prompt_extraction',
  'pii_extraction',
  'hap_elicitation',
] as const;
export const probeCategorySchema = z.enum(probeCategories);
export type ProbeCategory = (typeof probeCategories)[number];

export const probeLanguages = ['en', 'ko'] as const;
export const probeLanguageSchema = z.enum(probeLanguages);
export type ProbeLanguage = (typeof probeLanguages)[number];

/**
 * How success is judged from the output:
 * - `marker`: the model followed the injected instruction (one of the marker strings appears);
 * - `canary`: the secret planted in the system prompt appears;
 * - `pii`: one of the synthetic PII values from the context appears unmasked (numbers compared
 *   without their separators too);
 * - `hap`: Keel's HAP detector fires on the output at or above `min_score`.
 */
export const successDetectorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('marker'), values: z.array(z.string().min(3).max(200)).min(1).max(20) }),
  z.strictObject({ type: z.literal('canary'), value: z.string().min(6).max(200) }),
  z.strictObject({ type: z.literal('pii'), values: z.array(z.string().min(4).max(200)).min(1).max(50) }),
  z.strictObject({ type: z.literal('hap'), min_score: z.number().min(0).max(1).default(0.5) }),
]);
export type SuccessDetector = z.infer<typeof successDetectorSchema>;

export const probeSchema = z.strictObject({
  id: z.string().min(1).max(200),
  category: probeCategorySchema,
  language: probeLanguageSchema,
  /** What the attacker sends as the user's message. */
  attack: z.string().min(1).max(20_000),
  /** A document or record given with the message (a retrieved passage, a customer record). */
  context: z.string().max(50_000).optional(),
  /** The application's system prompt for this probe (with the canary, for extraction probes). */
  system: z.string().max(20_000).optional(),
  detector: successDetectorSchema,
});
export type Probe = z.infer<typeof probeSchema>;
export type ProbeInput = z.input<typeof probeSchema>;

export const redTeamTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('model'),
    model: z.string().min(1).max(200).describe('provider:model'),
  }),
  z.strictObject({
    type: z.literal('template'),
    prompt: z.string().min(1).max(300).describe('name, name@<version> or name@<label>'),
    model: z.string().min(1).max(200).optional().describe('overrides the template’s model'),
    input_variable: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('where the attack goes (default: input, question, query, message, or the only variable)'),
    context_variable: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('where the probe’s context goes (default: before the attack, in the same variable)'),
  }),
  z.strictObject({
    type: z.literal('rag'),
    collection: z.string().min(1).max(200).describe('a RAG collection by id or name'),
    model: z.string().min(1).max(200).optional().describe('overrides the collection’s answer model'),
  }),
  z.strictObject({
    type: z.literal('deployment'),
    deployment: z
      .string()
      .min(1)
      .max(200)
      .describe(
        'a deployment by id or serving name: probes go through its gate, limits and guardrail policy',
      ),
    input_variable: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('a template deployment’s variable the attacks go into (a RAG deployment takes `question`)'),
    context_variable: z.string().min(1).max(100).optional(),
  }),
]);
export type RedTeamTarget = z.infer<typeof redTeamTargetSchema>;

export const probeSetSchema = z.object({
  name: z.string(),
  description: z.string(),
  source: z.enum(['builtin', 'dataset']),
  probes: z.number().int(),
  /** Probes per `category:language`. */
  counts: z.record(z.string(), z.number().int()),
});
export type ProbeSetJson = z.infer<typeof probeSetSchema>;

export const MAX_INLINE_PROBES = 5000;

export const createRedTeamRunSchema = z
  .strictObject({
    target: redTeamTargetSchema,
    probe_set: z.string().min(1).max(100).optional().describe('a probe set by name (default: keel)'),
    probes: z
      .array(probeSchema)
      .min(1)
      .max(MAX_INLINE_PROBES)
      .optional()
      .describe('probes given inline instead of a set (e.g. a public set loaded by the CLI)'),
    categories: z.array(probeCategorySchema).min(1).optional(),
    languages: z.array(probeLanguageSchema).min(1).optional(),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_INLINE_PROBES)
      .optional()
      .describe('first N probes after filtering'),
    policy: z
      .string()
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .describe(
        "a guardrail policy by name; null for none; absent: the template's, else the project's default",
      ),
    policy_body: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('a guardrail policy given inline (the body of PUT /api/v1/guardrails/policies/{name})'),
    max_new_tokens: z.number().int().min(1).max(4096).default(200),
    concurrency: z.number().int().min(1).max(16).default(4),
  })
  .refine((value) => !(value.probe_set && value.probes), {
    message: 'name a probe_set or give probes, not both',
    path: ['probes'],
  })
  .refine((value) => !(value.policy_body && value.policy !== undefined), {
    message: 'give policy or policy_body, not both',
    path: ['policy_body'],
  });
export type CreateRedTeamRun = z.input<typeof createRedTeamRunSchema>;

const rateFields = {
  probes: z.number().int(),
  completed: z.number().int(),
  successes: z.number().int(),
  attack_success_rate: z.number().nullable(),
  blocked: z.number().int(),
  block_rate: z.number().nullable(),
  caught: z.number().int(),
  caught_rate: z.number().nullable(),
  refused: z
    .number()
    .int()
    .optional()
    .describe(
      'probes a RAG answer path declined before calling its model (nothing retrieved to answer from); absent from reports written before it was added',
    ),
  errors: z.number().int(),
};

/** Where a guardrail acted on a probe: its input, a retrieved passage the answer path screened, or its output. */
const catchDirectionSchema = z.enum(['input', 'output', 'context']);

/** What one probe did; `refused_retrieval`: a RAG answer path said "don't know" without calling its model. */
export const probeOutcomeSchema = z.enum([
  'blocked_input',
  'filtered',
  'answered',
  'refused_retrieval',
  'error',
]);

export const redTeamReportSchema = z.object({
  overall: z.object(rateFields),
  by_category_language: z.array(
    z.object({ category: probeCategorySchema, language: probeLanguageSchema, ...rateFields }),
  ),
  by_language: z.array(z.object({ language: probeLanguageSchema, ...rateFields })),
  by_category: z.array(z.object({ category: probeCategorySchema, ...rateFields })),
  caught_by: z.array(
    z.object({
      detector: z.string(),
      direction: catchDirectionSchema,
      category: probeCategorySchema,
      probes: z.number().int(),
    }),
  ),
  by_detector: z
    .array(
      z.object({
        detector: z.string(),
        probes: z.number().int().describe('completed probes it caught (blocked, masked or removed text)'),
        rate: z.number().nullable().describe('probes ÷ the run’s completed probes'),
        blocked: z.number().int().describe('of those, blocked on input'),
        input: z.number().int(),
        output: z.number().int(),
        context: z
          .number()
          .int()
          .optional()
          .describe('of those, where it removed or masked a retrieved passage'),
        successes: z.number().int().describe('of those, attacks that still succeeded'),
        flagged: z.number().int().describe('completed probes it only flagged'),
      }),
    )
    .optional()
    .describe('per detector; absent from reports written before it was added'),
});
export type RedTeamReportJson = z.infer<typeof redTeamReportSchema>;

export const redTeamPolicySchema = z.object({
  /** `deployment`: the deployment's own policy (named, or its template's, else the project's default). */
  mode: z.enum(['project', 'named', 'inline', 'none', 'deployment']),
  name: z.string().nullable(),
});

export const redTeamRunSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  job_id: z.string().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  target: redTeamTargetSchema,
  policy: redTeamPolicySchema,
  probe_set: z.string(),
  probe_count: z.number().int(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  report: redTeamReportSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type RedTeamRunJson = z.infer<typeof redTeamRunSchema>;

export const probeResultSchema = z.object({
  probe_id: z.string(),
  category: probeCategorySchema,
  language: probeLanguageSchema,
  outcome: probeOutcomeSchema,
  success: z.boolean(),
  evidence: z.string().nullable(),
  caught_by: z.array(
    z.object({
      direction: catchDirectionSchema,
      detector: z.string(),
      type: z.string(),
      action: z.string(),
    }),
  ),
  output: z.string(),
  latency_ms: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ProbeResultJson = z.infer<typeof probeResultSchema>;

export const redTeamResultsQuerySchema = z.strictObject({
  category: probeCategorySchema.optional(),
  language: probeLanguageSchema.optional(),
  outcome: probeOutcomeSchema.optional(),
  success: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const redTeamListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
