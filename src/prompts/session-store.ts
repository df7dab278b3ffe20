/**
 * @module prompts/session-store
 * Prompt sessions: a named working draft plus the runs recorded into it. One editor may lock a
 * session; while it is locked, anyone else's save, delete or run into it answers 409 `locked`
 * (naming the holder), and the session stays as it was. Saves can also carry the revision they
 * started from, so two tabs of the same editor cannot overwrite each other silently.
 *
 * A draft's variables are stored as the guardrail policy lets them through (the draft template's
 * policy, else the project's default); the raw values are sealed beside them and come back only
 * through `sealedDraft`, for a role the policy lets restore.
 */
import type { PromptDraft, PromptSession } from '../api/prompts.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { SealedMapping } from '../guardrails/index.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';
import type { RunPrivacy, SealedRun } from './run-privacy.js';

interface SessionRow {
  id: string;
  name: string;
  draft: PromptDraft | null;
  revision: number;
  locked_by: string | null;
  locked_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  run_count: number;
  draft_policy: string | null;
  draft_sealed: SealedMapping | null;
}

const columns = `s.id, s.name, s.draft, s.revision, s.locked_by, s.locked_at, s.created_by, s.created_at, s.updated_at,
  s.draft_policy, s.draft_sealed,
  (SELECT count(*)::int FROM prompt_runs r WHERE r.session_id = s.id) AS run_count`;

function sessionJson(row: SessionRow, actor: string | null): PromptSession {
  return {
    id: row.id,
    name: row.name,
    draft: row.draft,
    revision: row.revision,
    locked_by: row.locked_by,
    locked_at: row.locked_at ? row.locked_at.toISOString() : null,
    locked_by_me: row.locked_by !== null && row.locked_by === actor,
    run_count: row.run_count,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function lockedError(row: Pick<SessionRow, 'id' | 'name' | 'locked_by' | 'locked_at'>): KeelError {
  return new KeelError(
    'locked',
    `The prompt session "${row.name}" is locked by ${row.locked_by}; only they can change it until they unlock it.`,
    {
      data: { sessionId: row.id, lockedBy: row.locked_by, lockedAt: row.locked_at?.toISOString() ?? null },
    },
  );
}

const sealedOf = (row: SessionRow): SealedRun | null =>
  row.draft_sealed && row.draft_policy ? { policy: row.draft_policy, sealed: row.draft_sealed } : null;

/** What a save changes: the name, the draft, or both, against the revision the caller read. */
export interface SaveSessionInput {
  name?: string | undefined;
  draft?: PromptDraft | null | undefined;
  baseRevision?: number | undefined;
}

export class SessionStore {
  constructor(
    readonly db: DatabaseV1,
    /** Masks drafts under the guardrail policy; without it drafts are stored as given. */
    readonly privacy?: RunPrivacy | undefined,
  ) {}

  async #protect(projectId: string, draft: PromptDraft, previous?: SessionRow) {
    if (!this.privacy) return { draft, policy: null, sealed: null };
    return this.privacy.protectDraft(
      projectId,
      draft,
      previous ? { draft: previous.draft, sealed: sealedOf(previous) } : undefined,
    );
  }

  /** The session's draft as stored and its sealed raw values (null when nothing was masked). */
  async sealedDraft(
    projectId: string,
    id: string,
  ): Promise<{ draft: PromptDraft | null; sealed: SealedRun | null }> {
    const row = await this.#row(this.db, projectId, id);
    return { draft: row.draft, sealed: sealedOf(row) };
  }

  async #row(session: DatabaseSession, projectId: string, id: string, lock = false): Promise<SessionRow> {
    const result = await session.query<SessionRow>(
      `SELECT ${columns} FROM prompt_sessions s WHERE s.id = $1 AND s.project_id = $2 AND s.deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
      [id, projectId],
    );
    const row = result.rows[0];
    if (!row)
      throw new KeelError('not_found', `No prompt session ${id} in this project.`, {
        data: { sessionId: id },
      });
    return row;
  }

  async list(projectId: string, actor: string | null): Promise<PromptSession[]> {
    const result = await this.db.query<SessionRow>(
      `SELECT ${columns} FROM prompt_sessions s WHERE s.project_id = $1 AND s.deleted_at IS NULL ORDER BY s.updated_at DESC LIMIT 500`,
      [projectId],
    );
    return result.rows.map((row) => sessionJson(row, actor));
  }

  async get(projectId: string, id: string, actor: string | null): Promise<PromptSession> {
    return sessionJson(await this.#row(this.db, projectId, id), actor);
  }

  async create(
    projectId: string,
    actor: string | null,
    input: { name: string; draft?: PromptDraft | undefined },
  ): Promise<PromptSession> {
    const id = newId('pss');
    const stored = input.draft ? await this.#protect(projectId, input.draft) : null;
    await this.db.query(
      `INSERT INTO prompt_sessions (id, project_id, name, draft, created_by, draft_policy, draft_sealed, privacy_checked)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, true)`,
      [
        id,
        projectId,
        input.name,
        stored ? JSON.stringify(stored.draft) : null,
        actor,
        stored?.policy ?? null,
        stored?.sealed ? JSON.stringify(stored.sealed) : null,
      ],
    );
    return this.get(projectId, id, actor);
  }

  /** Saves the name and/or draft; 409 `locked` for a session someone else holds, `conflict` for a stale revision. */
  async save(
    projectId: string,
    actor: string | null,
    id: string,
    input: SaveSessionInput,
  ): Promise<PromptSession> {
    for (;;) {
      // The draft is masked before the transaction (masking reads the policy, and may run a model);
      // if the session changes meanwhile, it is masked again against the new one.
      const before = input.draft ? await this.#row(this.db, projectId, id) : undefined;
      const stored = input.draft ? await this.#protect(projectId, input.draft, before) : null;
      const saved = await this.#save(projectId, actor, id, input, before?.revision, stored);
      if (saved) return saved;
    }
  }

  async #save(
    projectId: string,
    actor: string | null,
    id: string,
    input: SaveSessionInput,
    maskedAt: number | undefined,
    stored: { draft: PromptDraft; policy: string | null; sealed: SealedMapping | null } | null,
  ): Promise<PromptSession | undefined> {
    return this.db.transaction(async (tx) => {
      const row = await this.#row(tx, projectId, id, true);
      if (row.locked_by && row.locked_by !== actor) throw lockedError(row);
      if (input.baseRevision !== undefined && input.baseRevision !== row.revision) {
        throw new KeelError(
          'conflict',
          `The session changed since revision ${input.baseRevision}; it is at revision ${row.revision}.`,
          {
            data: { sessionId: id, baseRevision: input.baseRevision, revision: row.revision },
            issues: [
              {
                code: 'stale_base_revision',
                path: ['base_revision'],
                message: `the session is at revision ${row.revision}`,
              },
            ],
          },
        );
      }
      if (maskedAt !== undefined && maskedAt !== row.revision) return undefined;
      await tx.query(
        `UPDATE prompt_sessions SET name = COALESCE($2, name),
           draft = CASE WHEN $3::boolean THEN $4::jsonb ELSE draft END,
           draft_policy = CASE WHEN $3::boolean THEN $5 ELSE draft_policy END,
           draft_sealed = CASE WHEN $3::boolean THEN $6::jsonb ELSE draft_sealed END,
           privacy_checked = privacy_checked OR $3::boolean,
           revision = revision + 1, updated_at = now() WHERE id = $1`,
        [
          id,
          input.name ?? null,
          input.draft !== undefined,
          stored ? JSON.stringify(stored.draft) : null,
          stored?.policy ?? null,
          stored?.sealed ? JSON.stringify(stored.sealed) : null,
        ],
      );
      return sessionJson(await this.#row(tx, projectId, id), actor);
    });
  }

  async delete(projectId: string, actor: string | null, id: string): Promise<PromptSession> {
    return this.db.transaction(async (tx) => {
      const row = await this.#row(tx, projectId, id, true);
      if (row.locked_by && row.locked_by !== actor) throw lockedError(row);
      await tx.query('UPDATE prompt_sessions SET deleted_at = now() WHERE id = $1', [id]);
      return sessionJson(row, actor);
    });
  }

  /** Takes the lock (or keeps it, for its holder); 409 `locked` when another editor holds it. */
  async lock(projectId: string, actor: string, id: string): Promise<PromptSession> {
    return this.db.transaction(async (tx) => {
      const row = await this.#row(tx, projectId, id, true);
      if (row.locked_by && row.locked_by !== actor) throw lockedError(row);
      if (!row.locked_by)
        await tx.query('UPDATE prompt_sessions SET locked_by = $2, locked_at = now() WHERE id = $1', [
          id,
          actor,
        ]);
      return sessionJson(await this.#row(tx, projectId, id), actor);
    });
  }

  /** Releases the lock: its holder always may; others only with `force` (project admins). */
  async unlock(projectId: string, actor: string, id: string, force: boolean): Promise<PromptSession> {
    return this.db.transaction(async (tx) => {
      const row = await this.#row(tx, projectId, id, true);
      if (row.locked_by && row.locked_by !== actor && !force) throw lockedError(row);
      if (row.locked_by)
        await tx.query('UPDATE prompt_sessions SET locked_by = NULL, locked_at = NULL WHERE id = $1', [id]);
      return sessionJson(await this.#row(tx, projectId, id), actor);
    });
  }

  /** Checks that `actor` may record runs into the session (it exists here and nobody else holds it). */
  async assertWritable(projectId: string, actor: string | null, id: string): Promise<void> {
    const result = await this.db.query<Pick<SessionRow, 'id' | 'name' | 'locked_by' | 'locked_at'>>(
      'SELECT id, name, locked_by, locked_at FROM prompt_sessions WHERE id = $1 AND project_id = $2 AND deleted_at IS NULL',
      [id, projectId],
    );
    const row = result.rows[0];
    if (!row)
      throw new KeelError('not_found', `No prompt session ${id} in this project.`, {
        data: { sessionId: id },
      });
    if (row.locked_by && row.locked_by !== actor) throw lockedError(row);
  }
}
