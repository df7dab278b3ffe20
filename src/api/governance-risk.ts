/**
 * @module api/governance-risk
 * The risk API (`/api/v1/risk-assessments`): the questionnaire (a versioned data file in Korean and
 * English that an organisation may replace per project), assessments (answers → EU AI Act
 * category, Korea AI Basic Act high-impact determination, a risk tier and a scorecard with the
 * reasons, citing the article and annex ids the questionnaire carries).
 */
import { z } from 'zod';

/** A text in both languages Keel ships (Korean and English are both required). */
export const bilingualSchema = z.strictObject({
  en: z.string().min(1).max(4000),
  ko: z.string().min(1).max(4000),
});
export type Bilingual = z.infer<typeof bilingualSchema>;

export const euCategories = ['minimal', 'limited', 'high', 'prohibited'] as const;
export const euCategorySchema = z.enum(euCategories);
export type EuCategory = z.infer<typeof euCategorySchema>;

/** The overall tier on the same scale the inventory shows (the EU category may be raised by the score and floors). */
export const riskTiers = ['minimal', 'limited', 'high', 'prohibited'] as const;
export const riskTierSchema = z.enum(riskTiers);
export type RiskTier = z.infer<typeof riskTierSchema>;

const idSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, "_", "." and "-"');

/** What choosing an option does to the result. Every field is optional: an option may only add points. */
export const optionEffectSchema = z.strictObject({
  /** The EU AI Act category this answer puts the use at, at least. */
  euCategory: euCategorySchema.optional(),
  /** This answer makes the use "high-impact AI" under Korea's AI Basic Act. */
  koreaHighImpact: z.boolean().optional(),
  /** Points added to the risk score. */
  score: z.number().int().min(0).max(100).optional(),
  /** The tier this answer puts the use at, at least. */
  tierFloor: riskTierSchema.optional(),
  /** Ids of `references` entries (articles, annex points) that ground the effect. */
  references: z.array(idSchema).max(20).optional(),
});
export type OptionEffect = z.infer<typeof optionEffectSchema>;

export const questionOptionSchema = z.strictObject({
  id: idSchema,
  label: bilingualSchema,
  effect: optionEffectSchema.optional(),
  /** Excludes every other option of a multiple-choice question ("none of these"). */
  exclusive: z.boolean().optional(),
});

export const questionSchema = z.strictObject({
  id: idSchema,
  /** `single`: one option; `multiple`: any number (at least one); `text`: free text, not scored. */
  kind: z.enum(['single', 'multiple', 'text']),
  text: bilingualSchema,
  help: bilingualSchema.optional(),
  required: z.boolean().default(true),
  options: z.array(questionOptionSchema).max(60).default([]),
});
export type Question = z.infer<typeof questionSchema>;

export const referenceSchema = z.strictObject({
  framework: z.string().min(1).max(120),
  /** The article or annex point as lawyers cite it, e.g. "Art. 5(1)(a)" or "Annex III 4(a)". */
  citation: z.string().min(1).max(120),
  title: bilingualSchema,
});

/**
 * A control the result calls for. It applies when the result meets any condition of `when`: an EU
 * category listed, Korea high-impact AI, an answer citing a listed reference, or a tier listed.
 */
export const controlSchema = z.strictObject({
  id: idSchema,
  /** Who requires it, e.g. "eu", "korea" or "keel" (the organisation's own rules may name themselves). */
  source: z.string().min(1).max(40),
  /** The article or rule as cited, e.g. "Art. 9". */
  citation: z.string().min(1).max(120),
  text: bilingualSchema,
  when: z.strictObject({
    euCategory: z.array(euCategorySchema).min(1).optional(),
    koreaHighImpact: z.literal(true).optional(),
    references: z.array(idSchema).min(1).max(50).optional(),
    tier: z.array(riskTierSchema).min(1).optional(),
  }),
  /** When it applies, no other control does (a prohibited use has nothing to meet but the ban). */
  exclusive: z.boolean().optional(),
});
export type Control = z.infer<typeof controlSchema>;

/** A control the assessment calls for, with why (the conditions of its `when` the result met). */
export const requiredControlSchema = z.object({
  id: z.string(),
  source: z.string(),
  citation: z.string(),
  text: bilingualSchema,
  reason: bilingualSchema,
});
export type RequiredControl = z.infer<typeof requiredControlSchema>;

export const questionnaireSchema = z
  .strictObject({
    id: idSchema,
    /** The file's own version (semantic or dated); stored versions are also numbered per project. */
    version: z.string().min(1).max(40),
    title: bilingualSchema,
    description: bilingualSchema.optional(),
    references: z.record(idSchema, referenceSchema),
    /** Score thresholds: the tier is the highest one whose minimum the score reaches. */
    tiers: z.strictObject({
      limited: z.number().int().min(0).max(10_000),
      high: z.number().int().min(0).max(10_000),
    }),
    sections: z
      .array(
        z.strictObject({
          id: idSchema,
          title: bilingualSchema,
          questions: z.array(questionSchema).min(1).max(100),
        }),
      )
      .min(1)
      .max(40),
    /** The controls results call for; an organisation replacing the questionnaire brings its own. */
    controls: z.array(controlSchema).max(200).default([]),
  })
  .superRefine((value, context) => {
    const controlIds = new Set<string>();
    value.controls.forEach((control, c) => {
      const at = ['controls', c];
      if (controlIds.has(control.id))
        context.addIssue({
          code: 'custom',
          path: [...at, 'id'],
          message: `duplicate control id "${control.id}"`,
        });
      controlIds.add(control.id);
      if (Object.values(control.when).every((condition) => condition === undefined))
        context.addIssue({ code: 'custom', path: [...at, 'when'], message: 'a control needs a condition' });
      control.when.references?.forEach((reference, r) => {
        if (!Object.hasOwn(value.references, reference))
          context.addIssue({
            code: 'custom',
            path: [...at, 'when', 'references', r],
            message: `unknown reference "${reference}"`,
          });
      });
    });
    if (value.tiers.high < value.tiers.limited)
      context.addIssue({
        code: 'custom',
        path: ['tiers', 'high'],
        message: 'must be at least tiers.limited',
      });
    const questionIds = new Set<string>();
    value.sections.forEach((section, s) => {
      section.questions.forEach((question, q) => {
        const at = ['sections', s, 'questions', q];
        if (questionIds.has(question.id))
          context.addIssue({
            code: 'custom',
            path: [...at, 'id'],
            message: `duplicate question id "${question.id}"`,
          });
        questionIds.add(question.id);
        if (question.kind !== 'text' && question.options.length < 2)
          context.addIssue({
            code: 'custom',
            path: [...at, 'options'],
            message: 'a choice needs two options',
          });
        if (question.kind === 'text' && question.options.length > 0)
          context.addIssue({
            code: 'custom',
            path: [...at, 'options'],
            message: 'a text question has no options',
          });
        const optionIds = new Set<string>();
        question.options.forEach((option, o) => {
          if (optionIds.has(option.id))
            context.addIssue({
              code: 'custom',
              path: [...at, 'options', o, 'id'],
              message: `duplicate option id "${option.id}"`,
            });
          optionIds.add(option.id);
          option.effect?.references?.forEach((reference, r) => {
            if (!Object.hasOwn(value.references, reference))
              context.addIssue({
                code: 'custom',
                path: [...at, 'options', o, 'effect', 'references', r],
                message: `unknown reference "${reference}"`,
              });
          });
        });
      });
    });
  });
export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type QuestionnaireInput = z.input<typeof questionnaireSchema>;

/** The questionnaire as served: the file plus where it comes from. */
export const questionnaireJsonSchema = z.object({
  /** 0 for Keel's built-in questionnaire; 1, 2 … for the project's own uploads. */
  revision: z.number().int(),
  source: z.enum(['builtin', 'project']),
  digest: z.string(),
  created_by: z.string().nullable(),
  created_at: z.string().nullable(),
  questionnaire: z.unknown(),
});
export type QuestionnaireJson = z.infer<typeof questionnaireJsonSchema>;

/** An answer: one option id, several, or free text. */
export const answerSchema = z.union([z.string().max(8000), z.array(z.string().max(80)).max(60)]);
export const answersSchema = z.record(z.string().max(80), answerSchema);
export type Answers = z.infer<typeof answersSchema>;

export const createAssessmentSchema = z.strictObject({
  use_case_id: z.string().min(1).max(100),
  approach_id: z.string().min(1).max(100).optional(),
  answers: answersSchema,
  note: z.string().max(2000).optional(),
});

export const scorecardEntrySchema = z.object({
  question_id: z.string(),
  question: bilingualSchema,
  answer: z.array(bilingualSchema),
  option_ids: z.array(z.string()),
  score: z.number().int(),
  eu_category: euCategorySchema.nullable(),
  korea_high_impact: z.boolean(),
  tier_floor: riskTierSchema.nullable(),
  references: z.array(
    z.object({ id: z.string(), framework: z.string(), citation: z.string(), title: bilingualSchema }),
  ),
});
export type ScorecardEntry = z.infer<typeof scorecardEntrySchema>;

export const scorecardSchema = z.object({
  score: z.number().int(),
  thresholds: z.object({ limited: z.number().int(), high: z.number().int() }),
  eu_category: euCategorySchema,
  korea_high_impact: z.boolean(),
  prohibited: z.boolean(),
  tier: riskTierSchema,
  /** Sentences that say which answers led to the category, the determination and the tier. */
  reasons: z.array(z.object({ about: z.enum(['eu', 'korea', 'tier', 'prohibited']), text: bilingualSchema })),
  /** Every answered choice with what it contributed (including nothing). */
  entries: z.array(scorecardEntrySchema),
  /** The questionnaire's controls this result calls for (absent in assessments stored before controls). */
  required_controls: z.array(requiredControlSchema).optional(),
});
export type Scorecard = z.infer<typeof scorecardSchema>;

export const assessmentJsonSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  use_case_id: z.string(),
  approach_id: z.string().nullable(),
  /** 1, 2 … per use case; the highest is the one in force. */
  version: z.number().int(),
  supersedes: z.string().nullable(),
  questionnaire: z.object({
    id: z.string(),
    version: z.string(),
    revision: z.number().int(),
    digest: z.string(),
  }),
  answers: answersSchema,
  tier: riskTierSchema,
  eu_category: euCategorySchema,
  korea_high_impact: z.boolean(),
  prohibited: z.boolean(),
  scorecard: scorecardSchema,
  /** The controls the result calls for, each with its reason, from the questionnaire answered. */
  required_controls: z.array(requiredControlSchema),
  note: z.string().nullable(),
  created_by: z.string().nullable(),
  completed_at: z.string(),
});
export type AssessmentJson = z.infer<typeof assessmentJsonSchema>;

export const createAssessmentQuerySchema = z.strictObject({
  /** `true`: score the answers (unanswered questions allowed) and return the result; nothing is stored or audited. */
  dry_run: z.enum(['true', 'false']).optional(),
});

/** `POST /api/v1/risk-assessments?dry_run=true`: what the answers so far would give. */
export const assessmentPreviewSchema = z.object({
  dry_run: z.literal(true),
  use_case_id: z.string(),
  approach_id: z.string().nullable(),
  questionnaire: z.object({
    id: z.string(),
    version: z.string(),
    revision: z.number().int(),
    digest: z.string(),
  }),
  /** Required questions not answered yet (saving would refuse them). */
  unanswered: z.array(z.string()),
  tier: riskTierSchema,
  eu_category: euCategorySchema,
  korea_high_impact: z.boolean(),
  prohibited: z.boolean(),
  scorecard: scorecardSchema,
  required_controls: z.array(requiredControlSchema),
});
export type AssessmentPreview = z.infer<typeof assessmentPreviewSchema>;

export const listAssessmentsQuerySchema = z.strictObject({
  use_case_id: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
