/**
 * @module audit/audit-event
 * What a module hands the audit log: one call, `audit.record({ action, projectId, target, before,
 * after })`, after a change is made. States are digested (SHA-256 of canonical JSON) when
 * recorded; neither they nor secrets are stored. The actor and request id come from the request
 * scope unless the event names them.
 */

export interface AuditActor {
  keyId: string | null;
  userId: string | null;
  role: string | null;
}

export interface AuditEvent {
  /** `<noun>.<verb>`, dotted: `key.create`, `template.version.create`, `policy.update`. */
  action: string;
  /** The project the change belongs to; null or omitted for organisation-level changes. */
  projectId?: string | null | undefined;
  target: { type: string; id?: string | null | undefined };
  /** The state before the change (digested, never stored). */
  before?: unknown;
  /** The state after the change (digested, never stored). */
  after?: unknown;
  /** Small details worth reading without the states (a role, a version): never secrets or PII. */
  detail?: Record<string, string | number | boolean | null> | undefined;
  /** Who acted, when not the caller of the current request scope (jobs, start-up, the direct lane). */
  actor?: AuditActor | undefined;
  /** The request it was made for, when not the current request scope's (the direct lane's calls). */
  requestId?: string | null | undefined;
  /**
   * `change` (the default): something in Keel changed; written within `audit.flushIntervalMs`.
   * `access`: a read worth a record, as many as the calls that make them (a data query); written
   * within `audit.accessFlushIntervalMs`, or sooner with the next change (one chain, in order).
   */
  kind?: 'change' | 'access' | undefined;
}

/** The one method modules depend on. */
export interface AuditRecorder {
  record(event: AuditEvent): void;
}

/** Records nothing: for services built without an audit log (unit tests, tools). */
export const noAudit: AuditRecorder = { record() {} };

/** The actor outside any request: Keel itself (start-up, background work). */
export const SYSTEM_ACTOR: AuditActor = { keyId: null, userId: null, role: 'system' };
