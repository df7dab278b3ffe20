/**
 * @module prompts/template-store
 * Templates in the database: a row per template and an append-only row per version (labels are in
 * `template-labels.ts`).
 * Saving compares-and-sets the latest version inside a transaction, so of two editors who started
 * from the same version only the first succeeds; the other gets 409 `conflict` and nothing is
 * written. Every query is scoped to a project: another project's template is simply not found.
 */
import type { PromptSummary, PromptTask, PromptVersionInfo, TemplateBody } from '../api/prompts.js';
import { type AuditRecorder, noAudit } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';
import { isUniqueViolation } from '../storage/core/database-error.js';
import { formatSelector, type PromptRef } from './prompt-ref.js';
import {
  escapeLike,
  findTemplateRow,
  summaryColumns,
  summaryOf,
  type TemplateRow,
  type VersionRow,
  versionOf,
} from './template-rows.js';

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

export class TemplateStore {
  constructor(
    readonly db: DatabaseV1,
    /** Changes made here are recorded; a caller that passes its own transaction records its own. */
    readonly audit: AuditRecorder = noAudit,
  ) {}

  /** Templates of a project, most recently changed first; `q` matches name, title and description. */
  async list(
    projectId: string,
    options: { q?: string | undefined; task?: string | undefined; limit?: number | undefined } = {},
  ): Promise<PromptSummary[]> {
    const params: unknown[] = [projectId];
    let where = 't.project_id = $1 AND t.deleted_at IS NULL';
    if (options.q) {
      params.push(`%${escapeLike(options.q)}%`);
      where += ` AND (t.name ILIKE $${params.length} OR t.title ILIKE $${params.length} OR t.description ILIKE $${params.length})`;
    }
    if (options.task) {
      params.push(options.task);
      where += ` AND t.task = $${params.length}`;
    }
    params.push(options.limit ?? 100);
    const result = await this.db.query<TemplateRow & { body: TemplateBody }>(
      `SELECT ${summaryColumns}, v.body FROM prompt_templates t
       JOIN prompt_versions v ON v.template_id = t.id AND v.version = t.latest_version
       WHERE ${where} ORDER BY t.updated_at DESC, t.name LIMIT $${params.length}`,
      params,
    );
    return result.rows.map((row) => summaryOf(row, row.body));
  }

  /**
   * One query resolves `name`, `name@3` or `name@label` to a version. A miss is explained: no such
   * template, no such version, or a label that points nowhere.
   */
  async resolve(
    projectId: string,
    ref: PromptRef,
    session: DatabaseSession = this.db,
  ): Promise<StoredTemplate> {
    const label = ref.selector.kind === 'label' ? ref.selector.label : null;
    const version = ref.selector.kind === 'version' ? ref.selector.version : null;
    const result = await session.query<TemplateRow & VersionRow>(
      `SELECT ${summaryColumns}, v.version, v.message, v.body, v.size_bytes,
         v.created_by AS version_created_by, v.created_at AS version_created_at
       FROM prompt_templates t
       LEFT JOIN prompt_labels l ON l.template_id = t.id AND l.label = $3::text
       JOIN prompt_versions v ON v.template_id = t.id
         AND v.version = (CASE WHEN $3::text IS NOT NULL THEN l.version WHEN $4::int IS NOT NULL THEN $4::int ELSE t.latest_version END)
       WHERE t.project_id = $1 AND t.name = $2 AND t.deleted_at IS NULL`,
      [projectId, ref.name, label, version],
    );
    const row = result.rows[0];
    if (row) {
      const labels = row.labels ?? {};
      return { summary: summaryOf(row, row.body), version: versionOf(row, labels), body: row.body, label };
    }
    throw await this.#missing(session, projectId, ref);
  }

  /** Why a reference resolved to nothing: no such template, no such version, or a label that points nowhere. */
  async #missing(session: DatabaseSession, projectId: string, ref: PromptRef): Promise<KeelError> {
    const label = ref.selector.kind === 'label' ? ref.selector.label : null;
    const version = ref.selector.kind === 'version' ? ref.selector.version : null;
    const template = await findTemplateRow(session, projectId, ref.name);
    const what = formatSelector(ref.selector);
    if (label) {
      return new KeelError(
        'not_found',
        `The label "${label}" of "${ref.name}" points nowhere: no version has it.`,
        {
          data: {
            name: ref.name,
            label,
            labels: template.labels ?? {},
            hint: `Set it with PUT /api/v1/prompts/${ref.name}/labels/${label}.`,
          },
          issues: [
            { code: 'unknown_label', path: ['prompt'], message: `"${ref.name}" has no label "${label}"` },
          ],
        },
      );
    }
    return new KeelError(
      'not_found',
      `"${ref.name}" has no version ${what}; the latest is ${template.latest_version}.`,
      {
        data: { name: ref.name, version, latestVersion: template.latest_version },
        issues: [
          {
            code: 'unknown_version',
            path: ['prompt'],
            message: `versions run from 1 to ${template.latest_version}`,
          },
        ],
      },
    );
  }

  /**
   * The version a reference names, without reading its body: the cheap lookup runs take (a
   * version's body never changes, so callers cache it by template id and version).
   */
  async locate(projectId: string, ref: PromptRef): Promise<{ id: string; name: string; version: number }> {
    const label = ref.selector.kind === 'label' ? ref.selector.label : null;
    const version = ref.selector.kind === 'version' ? ref.selector.version : null;
    // Versions are numbered 1…latest without gaps, so a version number needs no lookup of its own.
    const result = await this.db.query<{ id: string; version: number | null }>(
      `SELECT t.id, CASE WHEN $3::text IS NOT NULL THEN l.version
           WHEN $4::int IS NOT NULL THEN (CASE WHEN $4::int <= t.latest_version THEN $4::int END)
           ELSE t.latest_version END AS version
       FROM prompt_templates t LEFT JOIN prompt_labels l ON l.template_id = t.id AND l.label = $3::text
       WHERE t.project_id = $1 AND t.name = $2 AND t.deleted_at IS NULL`,
      [projectId, ref.name, label, version],
    );
    const row = result.rows[0];
    if (row?.version) return { id: row.id, name: ref.name, version: row.version };
    throw await this.#missing(this.db, projectId, ref);
  }

  /** One version's body, by template id (after `locate`). */
  async body(templateId: string, version: number): Promise<TemplateBody> {
    const result = await this.db.query<{ body: TemplateBody }>(
      'SELECT body FROM prompt_versions WHERE template_id = $1 AND version = $2',
      [templateId, version],
    );
    if (!result.rows[0])
      throw new KeelError('not_found', `Version ${version} of template ${templateId} is missing.`);
    return result.rows[0].body;
  }

  /** Creates a template with its version 1 (in `session`'s transaction when given). */
  async create(
    projectId: string,
    actor: string | null,
    input: TemplateMetadata & {
      name: string;
      body: TemplateBody;
      message?: string | undefined;
      sizeBytes: number;
    },
    session?: DatabaseSession,
  ): Promise<StoredTemplate> {
    const work = async (tx: DatabaseSession) => {
      const id = await this.insertTemplate(tx, projectId, actor, input, 1);
      await this.insertVersion(tx, id, 1, input.body, input.message ?? 'Created', input.sizeBytes, actor);
      return this.resolve(projectId, { name: input.name, selector: { kind: 'version', version: 1 } }, tx);
    };
    if (session) return work(session);
    const stored = await this.db.transaction(work);
    this.audit.record({
      action: 'template.create',
      projectId,
      target: { type: 'template', id: stored.summary.id },
      after: { summary: stored.summary, body: stored.body },
      detail: { name: stored.summary.name, version: 1 },
    });
    return stored;
  }

  /** The template row alone; its versions must be inserted in the same transaction. */
  async insertTemplate(
    tx: DatabaseSession,
    projectId: string,
    actor: string | null,
    input: TemplateMetadata & { name: string },
    latestVersion: number,
  ): Promise<string> {
    const id = newId('pt');
    try {
      await tx.query(
        `INSERT INTO prompt_templates (id, project_id, name, title, description, task, latest_version, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          id,
          projectId,
          input.name,
          input.title ?? '',
          input.description ?? '',
          input.task ?? null,
          latestVersion,
          actor,
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new KeelError(
          'conflict',
          `A prompt template named "${input.name}" already exists in this project.`,
          {
            data: {
              name: input.name,
              hint: 'Save a new version of it instead (POST /api/v1/prompts/{name}/versions).',
            },
            issues: [{ code: 'already_exists', path: ['name'], message: `"${input.name}" is taken` }],
          },
        );
      }
      throw error;
    }
    return id;
  }

  /** Import: metadata and the new latest version of an existing template. */
  async updateForImport(
    tx: DatabaseSession,
    id: string,
    input: TemplateMetadata,
    latestVersion: number,
  ): Promise<void> {
    await tx.query(
      `UPDATE prompt_templates SET title = $2, description = $3, task = $4, latest_version = $5,
         updated_at = CASE WHEN (title, description, task, latest_version) IS DISTINCT FROM ($2, $3, $4, $5) THEN now() ELSE updated_at END
       WHERE id = $1`,
      [id, input.title ?? '', input.description ?? '', input.task ?? null, latestVersion],
    );
  }

  /** Version bodies and labels of a template, by id (import). */
  async contents(
    tx: DatabaseSession,
    id: string,
  ): Promise<{ bodies: Map<number, TemplateBody>; labels: Record<string, number> }> {
    const versions = await tx.query<{ version: number; body: TemplateBody }>(
      'SELECT version, body FROM prompt_versions WHERE template_id = $1',
      [id],
    );
    const labels = await tx.query<{ label: string; version: number }>(
      'SELECT label, version FROM prompt_labels WHERE template_id = $1',
      [id],
    );
    return {
      bodies: new Map(versions.rows.map((row) => [row.version, row.body])),
      labels: Object.fromEntries(labels.rows.map((row) => [row.label, row.version])),
    };
  }

  async insertVersion(
    tx: DatabaseSession,
    templateId: string,
    version: number,
    body: TemplateBody,
    message: string,
    sizeBytes: number,
    actor: string | null,
    createdAt?: Date,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO prompt_versions (template_id, version, message, body, size_bytes, created_by, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, COALESCE($7::timestamptz, now()))`,
      [templateId, version, message, JSON.stringify(body), sizeBytes, actor, createdAt ?? null],
    );
  }

  /** Saves a new version if `baseVersion` is still the latest; otherwise 409 `conflict`, nothing written. */
  async saveVersion(
    projectId: string,
    actor: string | null,
    name: string,
    input: { body: TemplateBody; message?: string | undefined; baseVersion: number; sizeBytes: number },
  ): Promise<StoredTemplate> {
    const stored = await this.db.transaction(async (tx) => {
      const updated = await tx.query<{ id: string; latest_version: number }>(
        `UPDATE prompt_templates SET latest_version = latest_version + 1, updated_at = now()
         WHERE project_id = $1 AND name = $2 AND deleted_at IS NULL AND latest_version = $3
         RETURNING id, latest_version`,
        [projectId, name, input.baseVersion],
      );
      const row = updated.rows[0];
      if (!row) {
        const current = await findTemplateRow(tx, projectId, name);
        throw new KeelError(
          'conflict',
          `"${name}" has changed since version ${input.baseVersion}: the latest is ${current.latest_version}. Reload it, reapply your edit and save again.`,
          {
            data: { name, baseVersion: input.baseVersion, latestVersion: current.latest_version },
            issues: [
              {
                code: 'stale_base_version',
                path: ['base_version'],
                message: `the latest version is ${current.latest_version}`,
              },
            ],
          },
        );
      }
      await this.insertVersion(
        tx,
        row.id,
        row.latest_version,
        input.body,
        input.message ?? '',
        input.sizeBytes,
        actor,
      );
      return this.resolve(
        projectId,
        { name, selector: { kind: 'version', version: row.latest_version } },
        tx,
      );
    });
    this.audit.record({
      action: 'template.version.create',
      projectId,
      target: { type: 'template', id: stored.summary.id },
      after: stored.body,
      detail: { name, version: stored.version.version },
    });
    return stored;
  }

  async listVersions(projectId: string, name: string): Promise<PromptVersionInfo[]> {
    const template = await findTemplateRow(this.db, projectId, name);
    const result = await this.db.query<VersionRow>(
      `SELECT version, message, body, size_bytes, created_by AS version_created_by, created_at AS version_created_at
       FROM prompt_versions WHERE template_id = $1 ORDER BY version DESC`,
      [template.id],
    );
    return result.rows.map((row) => versionOf(row, template.labels ?? {}));
  }

  /** Every version with its body, oldest first (export). */
  async allVersions(
    projectId: string,
    name: string,
  ): Promise<{ summary: PromptSummary; versions: (PromptVersionInfo & { body: TemplateBody })[] }> {
    const template = await findTemplateRow(this.db, projectId, name);
    const result = await this.db.query<VersionRow>(
      `SELECT version, message, body, size_bytes, created_by AS version_created_by, created_at AS version_created_at
       FROM prompt_versions WHERE template_id = $1 ORDER BY version`,
      [template.id],
    );
    const labels = template.labels ?? {};
    const latest = result.rows.at(-1)!;
    return {
      summary: summaryOf(template, latest.body),
      versions: result.rows.map((row) => ({ ...versionOf(row, labels), body: row.body })),
    };
  }

  async updateMetadata(projectId: string, name: string, patch: TemplateMetadata): Promise<PromptSummary> {
    const template = await findTemplateRow(this.db, projectId, name);
    const before = { title: template.title, description: template.description, task: template.task };
    await this.db.query(
      `UPDATE prompt_templates SET title = COALESCE($2, title), description = COALESCE($3, description),
         task = CASE WHEN $4::boolean THEN $5 ELSE task END, updated_at = now() WHERE id = $1`,
      [
        template.id,
        patch.title ?? null,
        patch.description ?? null,
        patch.task !== undefined,
        patch.task ?? null,
      ],
    );
    const summary = (await this.resolve(projectId, { name, selector: { kind: 'latest' } })).summary;
    this.audit.record({
      action: 'template.update',
      projectId,
      target: { type: 'template', id: template.id },
      before,
      after: { title: summary.title, description: summary.description, task: summary.task },
      detail: { name },
    });
    return summary;
  }

  /** Soft-deletes a template (its versions stay for the run history); its name becomes free. */
  async delete(projectId: string, name: string): Promise<PromptSummary> {
    const stored = await this.resolve(projectId, { name, selector: { kind: 'latest' } });
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM prompt_labels WHERE template_id = $1', [stored.summary.id]);
      await tx.query('UPDATE prompt_templates SET deleted_at = now() WHERE id = $1', [stored.summary.id]);
    });
    this.audit.record({
      action: 'template.delete',
      projectId,
      target: { type: 'template', id: stored.summary.id },
      before: stored.summary,
      detail: { name },
    });
    return stored.summary;
  }

  /** The name of a live template by its id (`pt_…`, as watsonx clients name prompt assets), or undefined. */
  async nameById(projectId: string, id: string): Promise<string | undefined> {
    const result = await this.db.query<{ name: string }>(
      'SELECT name FROM prompt_templates WHERE id = $1 AND project_id = $2 AND deleted_at IS NULL',
      [id, projectId],
    );
    return result.rows[0]?.name;
  }

  /** Id and latest version of a template, or undefined (import). */
  async findId(
    session: DatabaseSession,
    projectId: string,
    name: string,
  ): Promise<{ id: string; latestVersion: number } | undefined> {
    const result = await session.query<{ id: string; latest_version: number }>(
      'SELECT id, latest_version FROM prompt_templates WHERE project_id = $1 AND name = $2 AND deleted_at IS NULL FOR UPDATE',
      [projectId, name],
    );
    const row = result.rows[0];
    return row ? { id: row.id, latestVersion: row.latest_version } : undefined;
  }
}
