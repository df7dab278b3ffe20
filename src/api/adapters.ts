/**
 * @module api/adapters
 * Request and response schemas of `/api/v1/adapters`: LoRA adapters registered for a llama.cpp
 * base model and served as `llamacpp:<base>+<name>`.
 */
import { z } from '@hono/zod-openapi';

const scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

/** What a registration says besides the file (JSON body, or the multipart form's fields). */
export const adapterRegistrationFields = z.object({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" and "-"; at most 63'),
  /** The base model, `llamacpp:<id>` or `<id>` (a file in the models directory). */
  base_model: z.string().min(1).max(200),
  /** Strength the adapter is applied with; 1 (default) is as trained, 0 turns it off. */
  scale: z.coerce.number().min(0).max(4).optional(),
  /** How it was trained (learning rate, epochs, rank …), kept as lineage. */
  hyper_parameters: z.record(z.string().max(100), scalar).optional(),
  /** The training data it was made from. */
  dataset: z
    .object({
      name: z.string().max(200).optional(),
      version: z.string().max(100).optional(),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
    })
    .optional(),
  /** Enter the version in this governance use case; it then needs approval for production. */
  governance: z.object({ use_case_id: z.string().min(1).max(100) }).optional(),
});

/** JSON registration of a file already under the models directory. */
export const adapterRegistrationSchema = adapterRegistrationFields.extend({
  /** A path relative to the models directory (`adapters/tone.gguf`). */
  path: z.string().min(1).max(500),
});

export const adapterVersionSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    /** The model id it is served as. */
    model: z.string(),
    base_model: z.string(),
    base_sha256: z.string(),
    architecture: z.string(),
    sha256: z.string(),
    size_bytes: z.number().int(),
    scale: z.number(),
    method: z.literal('lora'),
    alpha: z.number().nullable(),
    rank: z.number().int(),
    targets: z.array(z.string()),
    hyper_parameters: z.record(z.string(), scalar),
    dataset: z
      .object({ name: z.string().optional(), version: z.string().optional(), sha256: z.string().optional() })
      .nullable(),
    source: z.string().nullable(),
    governance_asset_id: z.string().nullable(),
    created_by: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('AdapterVersion');

export type AdapterVersionJson = z.infer<typeof adapterVersionSchema>;
export type AdapterRegistration = z.infer<typeof adapterRegistrationSchema>;
