/**
 * @module prompts/template-rows
 * Template rows as the stores read them: the SQL for a template with its labels, the mapping to
 * API shapes, and the one lookup by name that every change starts from.
 */
import type { PromptSummary, PromptTask, PromptVersionInfo, TemplateBody } from '../api/prompts.js';
import { KeelError } from '../core/errors.js';
import type { DatabaseSession } from '../spec/database.js';

export interface TemplateRow {
  id: string;
  project_id: string;
  name: string;
  title: string;
  description: string;
  task: string | null;
  latest_version: number;
  created_at: Date;
  updated_at: Date;
  labels: Record<string, number> | null;
}

export interface VersionRow {
  version: number;
  message: string;
  body: TemplateBody;
  size_bytes: number;
  version_created_by: string | null;
  version_created_at: Date;
}

/** A template at one version, as the store reads it. */
export interface StoredTemplate {
  summary: PromptSummary;
  version: PromptVersionInfo;
  body: TemplateBody;
  /** The label the reference went through, if any. */
  label: string | null;
}

export interface TemplateMetadata {
  title?: string | undefined;
  description?: string | undefined;
  task?: PromptTask | undefined;
}

export const summaryColumns = `t.id, t.project_id, t.name, t.title, t.description, t.task, t.latest_version, t.created_at, t.updated_at,
  (SELECT jsonb_object_agg(label, version) FROM prompt_labels WHERE template_id = t.id) AS labels`;

export function summaryOf(row: TemplateRow, latestBody: TemplateBody): PromptSummary {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    description: row.description,
    task: (row.task as PromptTask | null) ?? null,
    mode: latestBody.mode,
    model_id: latestBody.model_id ?? null,
    latest_version: row.latest_version,
    labels: row.labels ?? {},
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function versionOf(row: VersionRow, labels: Record<string, number>): PromptVersionInfo {
  return {
    version: row.version,
    message: row.message,
    created_at: row.version_created_at.toISOString(),
    created_by: row.version_created_by,
    size_bytes: row.size_bytes,
    labels: Object.entries(labels)
      .filter(([, version]) => version === row.version)
      .map(([label]) => label)
      .sort(),
  };
}

export const notFound = (name: string) =>
  new KeelError('not_found', `No prompt template named "${name}" in this project.`, {
    data: { name, hint: 'List templates with GET /api/v1/prompts or `keel prompt list`.' },
  });

/** A live template by name (locked for update inside a transaction when `lock`), or 404. */
export async function findTemplateRow(
  session: DatabaseSession,
  projectId: string,
  name: string,
  lock = false,
): Promise<TemplateRow> {
  const result = await session.query<TemplateRow>(
    `SELECT ${summaryColumns} FROM prompt_templates t WHERE t.project_id = $1 AND t.name = $2 AND t.deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    [projectId, name],
  );
  if (!result.rows[0]) throw notFound(name);
  return result.rows[0];
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
