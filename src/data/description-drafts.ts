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
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { GenerationService } from '../models/index.js';
import type { DatabaseV1 } from '../spec/database.js';
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

/** What the draft store reads of a source (data-sources.ts). */
interface DraftedSource {
  id: string;
  name: string;
  description: string;
  column_descriptions: Record<string, string>;
  description_draft: DescriptionDraft | null;
}

/** Drafts on the sources' rows (`data_sources.description_draft`), and their review. */
export class DraftStore {
  constructor(
    private readonly deps: {
      db: DatabaseV1;
      audit: AuditRecorder;
      get(projectId: string, name: string): Promise<DraftedSource>;
    },
  ) {}

  /** Keeps a model's draft of the descriptions for review (replacing an earlier draft). */
  async saveDraft(projectId: string, name: string, draft: DescriptionDraft): Promise<void> {
    const source = await this.deps.get(projectId, name);
    await this.deps.db.query('UPDATE data_sources SET description_draft = $2 WHERE id = $1', [
      source.id,
      JSON.stringify(draft),
    ]);
    this.deps.audit.record({
      action: 'data.source.describe.draft',
      projectId,
      target: { type: 'data_source', id: source.id },
      after: { draft },
      detail: { name: source.name, model: draft.model, language: draft.language },
    });
  }

  /**
   * A person's review of the draft: its texts, with `edits` in their place (an empty column text
   * keeps that column's current description), become the descriptions and the draft is cleared.
   * A draft replaced meanwhile is a `conflict`; no draft is `not_found`.
   */
  async acceptDraft(projectId: string, name: string, edits: DescriptionEdits): Promise<void> {
    const source = await this.deps.get(projectId, name);
    const draft = source.description_draft ?? noDraft(name);
    const accepted: Record<string, string> = {};
    for (const [column, text] of Object.entries({ ...draft.columns, ...edits.columns }))
      if (text.trim() && column in draft.columns) accepted[column] = text.trim();
    for (const [column, text] of Object.entries(edits.columns ?? {}))
      if (text.trim() && !(column in draft.columns)) accepted[column] = text.trim();
    const description = (edits.description ?? draft.description).trim() || source.description;
    const descriptions = { ...source.column_descriptions, ...accepted };
    const { affectedRows } = await this.deps.db.query(
      `UPDATE data_sources SET description = $2, column_descriptions = $3, description_draft = NULL, updated_at = now()
        WHERE id = $1 AND description_draft = $4::jsonb`,
      [source.id, description, JSON.stringify(descriptions), JSON.stringify(draft)],
    );
    if (affectedRows === 0) {
      throw new KeelError('conflict', `The draft of "${name}" was replaced or reviewed meanwhile.`, {
        issues: [{ code: 'draft_changed', path: ['name'], message: 'read the table again' }],
      });
    }
    this.deps.audit.record({
      action: 'data.source.describe',
      projectId,
      target: { type: 'data_source', id: source.id },
      before: { description: source.description, columns: source.column_descriptions },
      after: { description, columns: descriptions },
      detail: {
        name: source.name,
        draftModel: draft.model,
        draftedBy: draft.drafted_by,
        edited: edits.description !== undefined || Object.keys(edits.columns ?? {}).length > 0,
      },
    });
  }

  /** Drops the draft unreviewed. */
  async discardDraft(projectId: string, name: string): Promise<void> {
    const source = await this.deps.get(projectId, name);
    const { affectedRows } = await this.deps.db.query(
      'UPDATE data_sources SET description_draft = NULL WHERE id = $1 AND description_draft IS NOT NULL',
      [source.id],
    );
    if (affectedRows === 0) noDraft(name);
    this.deps.audit.record({
      action: 'data.source.describe.discard',
      projectId,
      target: { type: 'data_source', id: source.id },
      detail: { name: source.name },
    });
  }
}

function noDraft(name: string): never {
  throw new KeelError('not_found', `Table "${name}" has no drafted descriptions.`, {
    issues: [{ code: 'no_draft', path: ['name'], message: 'draft descriptions first' }],
  });
}
