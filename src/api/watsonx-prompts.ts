/**
 * @module api/watsonx-prompts
 * Request shapes of watsonx prompt assets (`/wx/v1/prompts…`, `/v2/asset_types/wx_prompt/search`)
 * and prompt sessions (`/wx/v1/prompt_sessions…`), as the official SDK sends them. Loose: the
 * fields Keel does not model are kept with the asset.
 */
import { z } from 'zod';

export const watsonxContextQuery = z.object({
  project_id: z.string().min(1).optional(),
  space_id: z.string().min(1).optional(),
  version: z.string().optional(),
});

const chatItemSchema = z.looseObject({
  type: z.string().optional(),
  content: z.string().optional(),
  status: z.string().optional(),
  timestamp: z.number().optional(),
});
export const chatItemsSchema = z.array(chatItemSchema).max(1000);

export const watsonxPromptSchema = z.looseObject({
  input: z.array(z.array(z.string())).optional(),
  model_id: z.string().optional(),
  model_parameters: z.record(z.string(), z.unknown()).optional(),
  data: z
    .looseObject({
      instruction: z.string().optional(),
      input_prefix: z.string().optional(),
      output_prefix: z.string().optional(),
      examples: z.array(z.array(z.string())).optional(),
    })
    .optional(),
  system_prompt: z.string().optional(),
  chat_items: chatItemsSchema.optional(),
  external_information: z.unknown().optional(),
});

const inputMode = z.enum(['structured', 'freeform', 'chat']);

export const promptAssetRequestSchema = z.looseObject({
  name: z.string().min(1).max(200),
  description: z.string().max(4000).optional(),
  prompt: watsonxPromptSchema,
  task_ids: z.array(z.string()).optional(),
  model_version: z.record(z.string(), z.unknown()).optional(),
  prompt_variables: z.record(z.string(), z.unknown()).optional(),
  input_mode: inputMode.optional(),
  lock: z.looseObject({ locked: z.boolean() }).optional(),
});

export const promptInputRequestSchema = z.looseObject({
  input: z.string().optional(),
  prompt_variables: z.record(z.string(), z.unknown()).optional(),
});

export const lockRequestSchema = z.looseObject({
  locked: z.boolean(),
  lock_type: z.string().optional(),
  locked_by: z.string().optional(),
});

export const promptSearchRequestSchema = z.looseObject({
  query: z.string().optional(),
  limit: z.number().int().min(1).max(200).optional(),
  bookmark: z.string().optional(),
});

export const promptSessionRequestSchema = z.looseObject({
  name: z.string().min(1).max(200),
  description: z.string().max(4000).optional(),
});

export const promptSessionPatchSchema = z.looseObject({
  name: z.string().min(1).max(200).optional(),
  description: z.string().max(4000).optional(),
});

export const promptSessionEntryRequestSchema = z.looseObject({
  name: z.string().min(1).max(200),
  created_at: z.number(),
  prompt: watsonxPromptSchema,
  description: z.string().max(4000).optional(),
  prompt_variables: z.record(z.string(), z.unknown()).optional(),
  is_template: z.boolean().optional(),
  input_mode: inputMode.optional(),
});

/** A watsonx asset answer: loose JSON (the SDK reads the fields it knows). */
export const watsonxAssetResponseSchema = z.record(z.string(), z.unknown());
