/**
 * @module audit/audit-query
 * Reads the audit log with filters, a page at a time (keyset pagination on the sequence number,
 * so a page costs the same at record 10 and at record 10 million).
 */
import type { DatabaseSession } from '../spec/database.js';
import { AUDIT_SELECT, type AuditRow } from './audit-record.js';

export interface AuditQuery {
  /** Only these projects' records (a project admin's view); undefined: every record (org admin). */
  visibleProjects?: readonly string[] | undefined;
  /** An action, or a prefix ending in `*` (`key.*`). */
  action?: string | undefined;
  /** A key id or a user id. */
  actor?: string | undefined;
  projectId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Sequence number to continue after (from the previous page's `nextCursor`). */
  cursor?: number | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit?: number | undefined;
}

export interface AuditPage {
  rows: AuditRow[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: number | null;
}

export async function queryAudit(db: DatabaseSession, query: AuditQuery): Promise<AuditPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (query.visibleProjects) add((p) => `project_id = ANY(${p}::text[])`, [...query.visibleProjects]);
  if (query.action?.endsWith('*')) {
    const prefix = query.action.slice(0, -1);
    add((p) => `left(action, length(${p})) = ${p}`, prefix);
  } else if (query.action) add((p) => `action = ${p}`, query.action);
  if (query.actor) add((p) => `(actor_key_id = ${p} OR actor_user_id = ${p})`, query.actor);
  if (query.projectId) add((p) => `project_id = ${p}`, query.projectId);
  if (query.targetType) add((p) => `target_type = ${p}`, query.targetType);
  if (query.targetId) add((p) => `target_id = ${p}`, query.targetId);
  if (query.since) add((p) => `occurred_at >= ${p}`, query.since);
  if (query.until) add((p) => `occurred_at < ${p}`, query.until);
  const descending = query.order === 'desc';
  if (query.cursor !== undefined) add((p) => `seq ${descending ? '<' : '>'} ${p}`, query.cursor);
  const limit = Math.max(1, Math.min(query.limit ?? 100, 10_000));
  params.push(limit + 1);
  const result = await db.query<AuditRow>(
    `SELECT ${AUDIT_SELECT} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY seq ${descending ? 'DESC' : 'ASC'} LIMIT $${params.length}`,
    params,
  );
  const rows = result.rows.slice(0, limit);
  const more = result.rows.length > limit;
  return { rows, nextCursor: more ? Number(rows[rows.length - 1]!.seq) : null };
}
