/**
 * @module prompts/run-store
 * The history of runs. Every run (stored template or ad-hoc, success or failure) is one row with
 * what was sent and what came back. Search matches every word of `q` as a substring of the
 * prompt or the output — substring matching works the same for Korean (no word boundaries to
 * guess, particles attached) and English — and filters by model, template, session, status and
 * date. Pages are cursor-based on the time-sortable run id.
 *
 * What is stored is what the guardrail policy let through (prompt-runner masks it before it gets
 * here; search therefore never matches a masked value). The raw values sit sealed in `sealed`,
 * read only through `sealedOf` for a reveal.
 */
import type { PromptRun, TemplateBody } from '../api/prompts.js';
import { KeelError } from '../core/errors.js';
import type { SealedMapping } from '../guardrails/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import { promptText } from './render-template.js';
import type { SealedRun } from './run-privacy.js';
import { escapeLike } from './template-rows.js';

interface RunRow {
  id: string;
  session_id: string | null;
  template_id: string | null;
  template_name: string | null;
  template_version: number | null;
  source: TemplateBody;
  prompt: PromptRun['prompt'];
  variables: Record<string, unknown>;
  parameters: PromptRun['parameters'];
  model_id: string;
  status: 'ok' | 'error';
  output: string;
  output_json: { value: unknown } | null;
  issues: PromptRun['issues'] | null;
  attempts: number;
  structured_output: PromptRun['structured_output'];
  finish_reason: string | null;
  input_tokens: number;
  output_tokens: number;
  cost: PromptRun['cost'];
  latency_ms: number;
  tokens: PromptRun['tokens'];
  warnings: PromptRun['warnings'];
  error: PromptRun['error'];
  created_by: string | null;
  created_at: Date;
  guardrail_policy: string | null;
  has_sealed: boolean;
}

/** Every column but the sealed raw values, which only `sealedOf` reads. */
const columns = `id, session_id, template_id, template_name, template_version, source, prompt, variables, parameters,
  model_id, status, output, output_json, issues, attempts, structured_output, finish_reason, input_tokens, output_tokens,
  cost, latency_ms, tokens, warnings, error, created_by, created_at, guardrail_policy, sealed IS NOT NULL AS has_sealed`;

function runJson(row: RunRow): PromptRun {
  return {
    id: row.id,
    session_id: row.session_id,
    template:
      row.template_id && row.template_name && row.template_version
        ? { id: row.template_id, name: row.template_name, version: row.template_version }
        : null,
    source: row.source,
    model: row.model_id,
    prompt: row.prompt,
    variables: row.variables,
    parameters: row.parameters,
    status: row.status,
    output: row.output,
    ...(row.output_json ? { json: row.output_json.value } : {}),
    ...(row.issues ? { issues: row.issues } : {}),
    attempts: row.attempts,
    structured_output: row.structured_output,
    finish_reason: row.finish_reason,
    usage: { input_tokens: row.input_tokens, output_tokens: row.output_tokens },
    cost: row.cost,
    latency_ms: row.latency_ms,
    tokens: row.tokens,
    warnings: row.warnings,
    error: row.error,
    created_at: row.created_at.toISOString(),
    created_by: row.created_by,
    redaction: row.guardrail_policy
      ? { policy: row.guardrail_policy, sealed: row.has_sealed, revealed: false }
      : null,
  };
}

export interface RunSearch {
  q?: string | undefined;
  model?: string | undefined;
  template?: string | undefined;
  sessionId?: string | undefined;
  status?: 'ok' | 'error' | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  before?: string | undefined;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

export class RunStore {
  constructor(readonly db: DatabaseV1) {}

  /**
   * Writes a run as given — already masked under `sealed.policy` when one applied; `run.created_at`
   * is when it started. `sealed` holds the raw values (null when nothing was masked).
   */
  async insert(
    projectId: string,
    run: PromptRun,
    sealed: { policy: string; sealed: SealedMapping | null } | null = null,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO prompt_runs (id, project_id, session_id, template_id, template_name, template_version, source, prompt,
         variables, parameters, model_id, status, output, output_json, issues, attempts, structured_output, finish_reason,
         input_tokens, output_tokens, cost, latency_ms, tokens, warnings, error, search_text, created_by, created_at,
         guardrail_policy, sealed, privacy_checked)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12, $13, $14::jsonb, $15::jsonb,
         $16, $17, $18, $19, $20, $21::jsonb, $22, $23::jsonb, $24::jsonb, $25::jsonb, $26, $27, $28, $29, $30::jsonb, true)`,
      [
        run.id,
        projectId,
        run.session_id,
        run.template?.id ?? null,
        run.template?.name ?? null,
        run.template?.version ?? null,
        JSON.stringify(run.source),
        JSON.stringify(run.prompt),
        JSON.stringify(run.variables),
        JSON.stringify(run.parameters),
        run.model,
        run.status,
        run.output,
        // Wrapped so that a JSON `null` output is told apart from "no JSON".
        'json' in run ? JSON.stringify({ value: run.json ?? null }) : null,
        json(run.issues),
        run.attempts,
        run.structured_output,
        run.finish_reason,
        run.usage.input_tokens,
        run.usage.output_tokens,
        json(run.cost),
        run.latency_ms,
        json(run.tokens),
        JSON.stringify(run.warnings),
        json(run.error),
        `${promptText(run.prompt)}\n${run.output}`,
        run.created_by,
        run.created_at,
        sealed?.policy ?? null,
        json(sealed?.sealed),
      ],
    );
  }

  /** The sealed raw values of those of `ids` that have them, with the policy they were masked under. */
  async sealedOf(projectId: string, ids: readonly string[]): Promise<Map<string, SealedRun>> {
    if (!ids.length) return new Map();
    const result = await this.db.query<{ id: string; guardrail_policy: string; sealed: SealedMapping }>(
      `SELECT id, guardrail_policy, sealed FROM prompt_runs
        WHERE project_id = $1 AND id = ANY($2::text[]) AND sealed IS NOT NULL AND guardrail_policy IS NOT NULL`,
      [projectId, ids],
    );
    return new Map(result.rows.map((row) => [row.id, { policy: row.guardrail_policy, sealed: row.sealed }]));
  }

  async get(projectId: string, id: string): Promise<PromptRun> {
    const result = await this.db.query<RunRow>(
      `SELECT ${columns} FROM prompt_runs WHERE id = $1 AND project_id = $2`,
      [id, projectId],
    );
    const row = result.rows[0];
    if (!row)
      throw new KeelError('not_found', `No prompt run ${id} in this project.`, { data: { runId: id } });
    return runJson(row);
  }

  /** Newest first; `next` is the cursor for the following page (null on the last one). */
  async search(projectId: string, search: RunSearch): Promise<{ runs: PromptRun[]; next: string | null }> {
    const params: unknown[] = [projectId];
    const where = ['project_id = $1'];
    const add = (clause: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    for (const word of (search.q ?? '').split(/\s+/).filter(Boolean).slice(0, 10)) {
      add((p) => `search_text ILIKE ${p}`, `%${escapeLike(word)}%`);
    }
    if (search.model) add((p) => `model_id = ${p}`, search.model);
    if (search.template) add((p) => `template_name = ${p}`, search.template);
    if (search.sessionId) add((p) => `session_id = ${p}`, search.sessionId);
    if (search.status) add((p) => `status = ${p}`, search.status);
    if (search.from) add((p) => `created_at >= ${p}::timestamptz`, search.from);
    if (search.to) add((p) => `created_at < ${p}::timestamptz`, search.to);
    if (search.before) add((p) => `id < ${p}`, search.before);
    const limit = search.limit ?? 50;
    params.push(limit + 1);
    const result = await this.db.query<RunRow>(
      `SELECT ${columns} FROM prompt_runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const rows = result.rows.slice(0, limit);
    return { runs: rows.map(runJson), next: result.rows.length > limit ? rows.at(-1)!.id : null };
  }
}
