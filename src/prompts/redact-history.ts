/**
 * @module prompts/redact-history
 * One-off masking of the Prompt Lab rows written before runs and drafts were stored redacted
 * (migration 0009 leaves them `privacy_checked = false`; they may hold raw PII). A migration
 * cannot do it: masking needs each project's policy and the server key. Each row is masked under
 * the policy that applies now (its template's, else the project's default) with its raw values
 * sealed — the output too, which no guardrail saw on its way into the table; a row no policy
 * covers is only marked checked. `POST /api/v1/prompt-runs/redact` runs it a batch at a time.
 */
import type { PromptDraft, RenderedPrompt, TemplateBody } from '../api/prompts.js';
import type { PromptLab } from './prompt-lab.js';
import { promptText } from './render-template.js';
import { mapStrings } from './run-protection.js';

export interface RedactReport {
  runs: number;
  sessions: number;
  /** True when rows are left for another call. */
  remaining: boolean;
}

interface UncheckedRun {
  id: string;
  source: TemplateBody;
  prompt: RenderedPrompt;
  variables: Record<string, unknown>;
  output: string;
  output_json: { value: unknown } | null;
}

/** Masks up to `limit` unchecked runs and `limit` unchecked sessions of a project. */
export async function redactHistory(lab: PromptLab, projectId: string, limit = 200): Promise<RedactReport> {
  const db = lab.runs.db;
  const runs = await db.query<UncheckedRun>(
    `SELECT id, source, prompt, variables, output, output_json FROM prompt_runs
      WHERE project_id = $1 AND NOT privacy_checked ORDER BY id LIMIT $2`,
    [projectId, limit + 1],
  );
  for (const row of runs.rows.slice(0, limit)) {
    const policy = await lab.privacy.storagePolicy(projectId, row.source.guardrail_policy);
    if (!policy) {
      await db.query('UPDATE prompt_runs SET privacy_checked = true WHERE id = $1', [row.id]);
      continue;
    }
    const protection = await lab.privacy.protect(row.prompt, row.variables, policy);
    const output = protection.maskUnchecked(row.output);
    const json = row.output_json
      ? { value: mapStrings(row.output_json.value, protection.maskUnchecked) }
      : null;
    const source = mapStrings(row.source, protection.maskUnchecked) as TemplateBody;
    const sourceChanged = JSON.stringify(source) !== JSON.stringify(row.source);
    const changed = protection.changed || output !== row.output || sourceChanged;
    const sealed = changed
      ? lab.privacy.seal({
          ...(sourceChanged ? { source: row.source } : {}),
          prompt: row.prompt,
          variables: row.variables,
          mapping: protection.pseudonymizer.entries(),
          output: row.output,
          ...(row.output_json ? { json: row.output_json } : {}),
        })
      : null;
    await db.query(
      `UPDATE prompt_runs SET prompt = $2::jsonb, variables = $3::jsonb, output = $4, output_json = $5::jsonb,
         search_text = $6, guardrail_policy = $7, sealed = $8::jsonb, source = $9::jsonb, privacy_checked = true
       WHERE id = $1`,
      [
        row.id,
        JSON.stringify(protection.prompt),
        JSON.stringify(protection.variables),
        output,
        json ? JSON.stringify(json) : null,
        `${promptText(protection.prompt)}\n${output}`,
        policy.name,
        sealed ? JSON.stringify(sealed) : null,
        JSON.stringify(source),
      ],
    );
  }
  // Deleted sessions too: their drafts are still at rest.
  const sessions = await db.query<{ id: string; draft: PromptDraft | null }>(
    'SELECT id, draft FROM prompt_sessions WHERE project_id = $1 AND NOT privacy_checked ORDER BY id LIMIT $2',
    [projectId, limit + 1],
  );
  for (const row of sessions.rows.slice(0, limit)) {
    const stored = row.draft ? await lab.privacy.protectDraft(projectId, row.draft) : null;
    await db.query(
      `UPDATE prompt_sessions SET draft = $2::jsonb, draft_policy = $3, draft_sealed = $4::jsonb, privacy_checked = true
        WHERE id = $1 AND NOT privacy_checked`,
      [
        row.id,
        stored ? JSON.stringify(stored.draft) : null,
        stored?.policy ?? null,
        stored?.sealed ? JSON.stringify(stored.sealed) : null,
      ],
    );
  }
  return {
    runs: Math.min(runs.rows.length, limit),
    sessions: Math.min(sessions.rows.length, limit),
    remaining: runs.rows.length > limit || sessions.rows.length > limit,
  };
}
