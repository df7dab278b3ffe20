/**
 * @module data/query-audit
 * The audit records of queries: `data.query` (who, SQL, tables, row count) for each one run, and
 * `data.query.refused` (with the error's code) for each one refused or failed. The audit log
 * buffers records and writes them behind the response (audit-log.ts); these are access records,
 * written within `audit.accessFlushIntervalMs` or with the next change.
 */
import type { AuditActor, AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';

interface AuditedRequest {
  sql: string;
  role?: string | undefined;
  origin?: QueryOrigin | undefined;
}

/** Who asked, for the audit record, where no request scope says it (the direct lane). */
export interface QueryOrigin {
  actor: AuditActor | undefined;
  requestId: string;
}

export function auditQuery(
  audit: AuditRecorder,
  projectId: string,
  request: AuditedRequest,
  result: { tables: readonly string[]; rows: number; truncated: boolean },
): void {
  audit.record({
    action: 'data.query',
    kind: 'access',
    projectId,
    ...request.origin,
    target: { type: 'data_query' },
    detail: {
      sql: request.sql.slice(0, 1000),
      tables: result.tables.join(','),
      rows: result.rows,
      truncated: result.truncated,
      role: request.role ?? null,
    },
  });
}

export function auditRefusal(
  audit: AuditRecorder,
  projectId: string,
  request: AuditedRequest,
  error: unknown,
): void {
  audit.record({
    action: 'data.query.refused',
    kind: 'access',
    projectId,
    ...request.origin,
    target: { type: 'data_query' },
    detail: {
      sql: request.sql.slice(0, 1000),
      code: error instanceof KeelError ? error.code : 'internal',
      role: request.role ?? null,
    },
  });
}
