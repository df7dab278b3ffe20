/**
 * @module api/factsheets
 * The factsheet API (`/api/v1/factsheets/{useCaseId}`): what governance recorded about a use case
 * and one of its approaches, captured from the audit chain and the governance tables, as JSON
 * (or Markdown and PDF exports), the EU AI Act Annex IV and Korea AI Basic Act outlines filled
 * from the same facts with the gaps marked, and a field-by-field diff of two approach versions.
 */
import { z } from 'zod';
import { bilingualSchema } from './governance-risk.js';

export const factValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One recorded thing (an asset, a decision, an event): a label and flat fields. */
export const factItemSchema = z.object({
  label: z.string(),
  fields: z.record(z.string(), factValueSchema),
});
export type FactItem = z.infer<typeof factItemSchema>;

export const factsheetSectionIds = [
  'models',
  'prompt_templates',
  'rag_collections',
  'datasets',
  'evaluations',
  'guardrail_policies',
  'risk',
  'approvals',
  'lifecycle',
  'deployments',
  'monitors',
  'incidents',
] as const;
export type FactsheetSectionId = (typeof factsheetSectionIds)[number];

export const factsheetSectionSchema = z.object({
  id: z.enum(factsheetSectionIds),
  title: bilingualSchema,
  /** True when nothing was recorded for this section. */
  empty: z.boolean(),
  items: z.array(factItemSchema),
  /** Older event records left out of `items` (the newest are kept; the audit log holds them all). */
  omitted: z.number().int(),
});
export type FactsheetSection = z.infer<typeof factsheetSectionSchema>;

export const outlineItemSchema = z.object({
  id: z.string(),
  heading: bilingualSchema,
  /** The factsheet sections this heading is filled from. */
  sources: z.array(z.enum(factsheetSectionIds)),
  filled: z.boolean(),
  facts: z.array(z.string()),
  /** What is missing, when not filled. */
  gap: bilingualSchema.nullable(),
});
export type OutlineItem = z.infer<typeof outlineItemSchema>;

export const factsheetSchema = z.object({
  schema: z.literal('keel.factsheet/v1'),
  generated_at: z.string(),
  project_id: z.string(),
  use_case: z.object({
    id: z.string(),
    name: z.string(),
    purpose: z.string(),
    business_owner: z.string().nullable(),
    status: z.string(),
    tags: z.array(z.string()),
    created_by: z.string().nullable(),
    created_at: z.string(),
  }),
  approach: z
    .object({
      id: z.string(),
      version: z.number().int(),
      name: z.string(),
      description: z.string(),
      thresholds: z.record(z.string(), z.object({ min: z.number().optional(), max: z.number().optional() })),
    })
    .nullable(),
  approaches: z.array(z.object({ id: z.string(), version: z.number().int(), name: z.string() })),
  sections: z.array(factsheetSectionSchema),
  /** The audit records the factsheet was captured from. */
  events: z.object({
    total: z.number().int(),
    first_at: z.string().nullable(),
    last_at: z.string().nullable(),
    last_seq: z.number().int().nullable(),
    actions: z.record(z.string(), z.number().int()),
  }),
  outlines: z.object({
    eu_annex_iv: z.array(outlineItemSchema),
    korea_basic_act: z.array(outlineItemSchema),
  }),
});
export type Factsheet = z.infer<typeof factsheetSchema>;

export const factsheetFormatSchema = z.enum(['json', 'md', 'pdf']);
export type FactsheetFormat = z.infer<typeof factsheetFormatSchema>;

export const factsheetQuerySchema = z.strictObject({
  format: factsheetFormatSchema.optional(),
  /** An approach id or version number; the newest approach when omitted. */
  approach: z.string().min(1).max(100).optional(),
  /** Language of the Markdown and PDF exports (JSON carries both). */
  lang: z.enum(['en', 'ko']).optional(),
});

export const factsheetDiffQuerySchema = z.strictObject({
  from: z.string().min(1).max(100).describe('approach id or version'),
  to: z.string().min(1).max(100).describe('approach id or version'),
});

export const factsheetChangeSchema = z.object({
  path: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  from: factValueSchema.optional(),
  to: factValueSchema.optional(),
});
export type FactsheetChange = z.infer<typeof factsheetChangeSchema>;

export const factsheetDiffSchema = z.object({
  use_case_id: z.string(),
  from: z.object({ id: z.string(), version: z.number().int() }),
  to: z.object({ id: z.string(), version: z.number().int() }),
  changes: z.array(factsheetChangeSchema),
});
export type FactsheetDiff = z.infer<typeof factsheetDiffSchema>;
