/**
 * @module prompts/session-store
 * Prompt sessions: a named working draft plus the runs recorded into it. One editor may lock a
 * session; while it is locked, anyone else's save, delete or run into it answers 409 `locked`
 * (naming the holder), and the session stays as it was. Saves can also carry the revision they
 * started from, so two tabs of the same editor cannot overwrite each other silently.
 */
import type { PromptDraft, PromptSession } from '../api/prompts.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';

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
}

const columns = `s.id, s.name, s.draft, s.revision, s.locked_by, s.locked_at, s.created_by, s.created_at, s.updated_at,
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

export class SessionStore {
  constructor(readonly db: DatabaseV1) {}

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
    await this.db.query(
      'INSERT INTO prompt_sessions (id, project_id, name, draft, created_by) VALUES ($1, $2, $3, $4::jsonb, $5)',
      [id, projectId, input.name, input.draft ? JSON.stringify(input.draft) : null, actor],
    );
    return this.get(projectId, id, actor);
  }

  /** Saves the name and/or draft; 409 `locked` for a session someone else holds, `conflict` for a stale revision. */
  async save(
    projectId: string,
    actor: string | null,
    id: string,
    input: {
      name?: string | undefined;
      draft?: PromptDraft | null | undefined;
      baseRevision?: number | undefined;
    },
  ): Promise<PromptSession> {
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
      await tx.query(
        `UPDATE prompt_sessions SET name = COALESCE($2, name),
           draft = CASE WHEN $3::boolean THEN $4::jsonb ELSE draft END,
           revision = revision + 1, updated_at = now() WHERE id = $1`,
        [id, input.name ?? null, input.draft !== undefined, input.draft ? JSON.stringify(input.draft) : null],
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
