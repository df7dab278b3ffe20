/**
 * @module data/description-drafts
 * Discovery's first half: a model drafts the description of a table and of each of its columns
 * from the catalog entry the caller may see (names, types, row count, null rates, sample values
 * with masked columns' samples left out, and descriptions people already wrote), in English or
 * Korean. The draft is kept on the source (`description_draft`, migration 0034) until a person
 * accepts it, with or without edits, or discards it; nothing a person wrote is replaced before
 * that. The reply is asked for as JSON under a schema (grammar-constrained where the provider
 * allows); a reply that is not such JSON is a coded `output_validation_failed`, and columns the table
 * does not have are left out.
 */
import { KeelError } from '../core/errors.js';
import type { GenerationService } from '../models/index.js';
import type { ChatMessage } from '../spec/language-model.js';
import type { TableCatalog } from './catalog.js';

export type DraftLanguage = 'en' | 'ko';

export interface DescriptionDraft {
  description: string;
  columns: Record<string, string>;
  model: string;
  language: DraftLanguage;
  drafted_at: string;
  drafted_by: string | null;
}

/** A person's edits to a draft (an empty column text keeps that column's current description). */
export interface DescriptionEdits {
  description?: string | undefined;
  columns?: Record<string, string> | undefined;
}

const MAX_TEXT = 4000;

const replySchema = {
  type: 'object',
  properties: {
    description: { type: 'string', description: 'what one row of the table is, in one or two sentences' },
    columns: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'for each column name, what its values mean, in one sentence',
    },
  },
  required: ['description', 'columns'],
  additionalProperties: false,
} as const;

const INSTRUCTIONS: Record<DraftLanguage, string> = {
  en: 'Write in English.',
  ko: '한국어로 쓰세요. (Write in Korean.)',
};

function sampleText(values: readonly unknown[]): string {
  return values
    .slice(0, 5)
    .map((value) => JSON.stringify(value))
    .join(', ')
    .slice(0, 200);
}

/** The messages that ask for a draft: the table as the caller sees it, and the form of the answer. */
export function draftPrompt(table: TableCatalog, language: DraftLanguage): ChatMessage[] {
  const lines = table.columns.map((column) => {
    const parts = [`- ${column.name} (${column.type}), ${(column.nullRate * 100).toFixed(0)}% empty`];
    if (column.samples.length) parts.push(`samples: ${sampleText(column.samples)}`);
    if (column.masked) parts.push('values withheld');
    if (column.description) parts.push(`described by a person as: ${column.description}`);
    return parts.join('; ');
  });
  return [
    {
      role: 'system',
      content: [
        'You document tables for the people and programs that query them.',
        'Describe what one row of the table is, and what each column holds, plainly and briefly.',
        'Keep what a person already wrote unless it is wrong; do not invent facts the samples do not support.',
        `Answer with JSON: {"description": "...", "columns": {"<column>": "...", ...}}. ${INSTRUCTIONS[language]}`,
      ].join('\n'),
    },
    {
      role: 'user',
      content: [
        `Table ${table.name}, ${table.rowCount} rows.`,
        table.description ? `Described by a person as: ${table.description}` : 'Not described yet.',
        'Columns:',
        ...lines,
      ].join('\n'),
    },
  ];
}

/** The draft in a model's reply: the JSON object in it, with only the table's own columns. */
export function parseDraft(
  text: string,
  table: TableCatalog,
): Pick<DescriptionDraft, 'description' | 'columns'> {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  let value: { description?: unknown; columns?: unknown } | undefined;
  try {
    if (start >= 0 && end > start) value = JSON.parse(text.slice(start, end + 1));
  } catch {
    value = undefined;
  }
  if (
    !value ||
    typeof value.description !== 'string' ||
    typeof value.columns !== 'object' ||
    !value.columns
  ) {
    throw new KeelError(
      'output_validation_failed',
      'The model did not answer with the descriptions as JSON.',
      {
        issues: [{ code: 'unparsable_draft', path: ['model'], message: text.slice(0, 200) }],
      },
    );
  }
  const byName = new Map(table.columns.map((column) => [column.name.toLowerCase(), column.name]));
  const columns: Record<string, string> = {};
  for (const [name, description] of Object.entries(value.columns as Record<string, unknown>)) {
    const column = byName.get(name.toLowerCase());
    if (column && typeof description === 'string' && description.trim())
      columns[column] = description.trim().slice(0, MAX_TEXT);
  }
  return { description: value.description.trim().slice(0, MAX_TEXT), columns };
}

/** Asks `model` for a draft of `table`'s descriptions. */
export async function draftDescriptions(
  generation: Pick<GenerationService, 'generate'>,
  table: TableCatalog,
  request: {
    model: string;
    language: DraftLanguage;
    actor: string | null;
    signal?: AbortSignal | undefined;
    context?: Parameters<GenerationService['generate']>[1];
  },
): Promise<DescriptionDraft> {
  const reply = await generation.generate(
    {
      model: request.model,
      prompt: { type: 'chat', messages: draftPrompt(table, request.language) },
      responseFormat: { type: 'json', schema: replySchema, name: 'table_descriptions' },
      parameters: { decodingMethod: 'greedy', maxNewTokens: 1024 },
      ...(request.signal ? { abortSignal: request.signal } : {}),
    },
    request.context,
  );
  return {
    ...parseDraft(reply.text, table),
    model: request.model,
    language: request.language,
    drafted_at: new Date().toISOString(),
    drafted_by: request.actor,
  };
}

/** What a review needs of the data module: the caller's catalog entry and the sources' store. */
export interface DescriptionReviewDeps {
  catalog(projectId: string, name: string, role?: string): Promise<TableCatalog>;
  /** Where drafts wait for review (data-sources.ts). */
  sources: {
    saveDraft(projectId: string, name: string, draft: DescriptionDraft): Promise<unknown>;
    acceptDraft(projectId: string, name: string, edits: DescriptionEdits): Promise<unknown>;
    discardDraft(projectId: string, name: string): Promise<void>;
  };
  generation?: Pick<GenerationService, 'generate'> | undefined;
}

/** Drafting, accepting and discarding descriptions of one project's tables. */
export class DescriptionReview {
  constructor(private readonly deps: DescriptionReviewDeps) {}

  /** Has `model` draft the descriptions from what `role` may see, and keeps the draft for review. */
  async draft(
    projectId: string,
    name: string,
    request: {
      model: string;
      language: DraftLanguage;
      role?: string | undefined;
      actor: string | null;
      signal?: AbortSignal | undefined;
      context?: Parameters<GenerationService['generate']>[1];
    },
  ): Promise<DescriptionDraft> {
    const generation = this.deps.generation;
    if (!generation) {
      throw new KeelError('unprocessable', 'Drafting needs a model: this server has no generation service.', {
        issues: [{ code: 'no_model', path: ['model'], message: 'no generation service' }],
      });
    }
    const table = await this.deps.catalog(projectId, name, request.role);
    const draft = await draftDescriptions(generation, table, request);
    await this.deps.sources.saveDraft(projectId, name, draft);
    return draft;
  }

  async accept(projectId: string, name: string, edits: DescriptionEdits): Promise<void> {
    await this.deps.sources.acceptDraft(projectId, name, edits);
  }

  discard(projectId: string, name: string): Promise<void> {
    return this.deps.sources.discardDraft(projectId, name);
  }
}
