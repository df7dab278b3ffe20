/**
 * @module deployments/alerts/incident-store
 * Incidents: opened by alerts (one open incident per monitor gathers its alerts), moved
 * open → acknowledged → resolved (a resolved incident stays resolved), with notes. Every change
 * is audited.
 */
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DatabaseSession } from '../../spec/database.js';

export const incidentStatuses = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export interface IncidentNote {
  at: string;
  by: string | null;
  text: string;
}

export interface Incident {
  id: string;
  projectId: string;
  monitorId: string | null;
  deploymentId: string | null;
  title: string;
  severity: string;
  status: IncidentStatus;
  notes: IncidentNote[];
  createdAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  updatedAt: Date;
}

interface IncidentRow {
  id: string;
  project_id: string;
  monitor_id: string | null;
  deployment_id: string | null;
  title: string;
  severity: string;
  status: IncidentStatus;
  notes: IncidentNote[];
  created_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  updated_at: Date;
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    projectId: row.project_id,
    monitorId: row.monitor_id,
    deploymentId: row.deployment_id,
    title: row.title,
    severity: row.severity,
    status: row.status,
    notes: row.notes ?? [],
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    resolvedAt: row.resolved_at,
    updatedAt: row.updated_at,
  };
}

const severityRank: Record<string, number> = { info: 0, warning: 1, critical: 2 };

export class IncidentStore {
  constructor(
    private readonly db: DatabaseSession,
    private readonly audit: AuditRecorder,
  ) {}

  async list(projectId: string, filter: { status?: IncidentStatus | undefined } = {}): Promise<Incident[]> {
    const { rows } = await this.db.query<IncidentRow>(
      `SELECT * FROM incidents WHERE project_id = $1 AND ($2::text IS NULL OR status = $2)
        ORDER BY created_at DESC, id DESC LIMIT 200`,
      [projectId, filter.status ?? null],
    );
    return rows.map(toIncident);
  }

  async get(projectId: string, id: string): Promise<Incident> {
    const { rows } = await this.db.query<IncidentRow>(
      'SELECT * FROM incidents WHERE id = $1 AND project_id = $2',
      [id, projectId],
    );
    if (!rows[0]) throw new KeelError('not_found', `Incident ${id} not found.`);
    return toIncident(rows[0]);
  }

  /** The monitor's unresolved incident (raised to `severity` when higher), or a new one. */
  async openFor(
    monitor: { id: string; projectId: string; deploymentId: string | null; name: string },
    severity: string,
    title: string,
  ): Promise<Incident> {
    const { rows } = await this.db.query<IncidentRow>(
      `SELECT * FROM incidents WHERE monitor_id = $1 AND status <> 'resolved' ORDER BY created_at DESC LIMIT 1`,
      [monitor.id],
    );
    const existing = rows[0];
    if (existing) {
      if ((severityRank[severity] ?? 0) > (severityRank[existing.severity] ?? 0)) {
        const raised = await this.db.query<IncidentRow>(
          'UPDATE incidents SET severity = $2, updated_at = now() WHERE id = $1 RETURNING *',
          [existing.id, severity],
        );
        return toIncident(raised.rows[0]!);
      }
      return toIncident(existing);
    }
    const created = await this.db.query<IncidentRow>(
      `INSERT INTO incidents (id, project_id, monitor_id, deployment_id, title, severity, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'open') RETURNING *`,
      [newId('inc'), monitor.projectId, monitor.id, monitor.deploymentId, title, severity],
    );
    const incident = toIncident(created.rows[0]!);
    this.audit.record({
      action: 'incident.open',
      projectId: monitor.projectId,
      target: { type: 'incident', id: incident.id },
      after: { title, severity, monitorId: monitor.id },
    });
    return incident;
  }

  /** Moves an incident forward (open → acknowledged → resolved), with an optional note. */
  async transition(
    projectId: string,
    id: string,
    status: 'acknowledged' | 'resolved',
    by: string | null,
    note?: string,
  ): Promise<Incident> {
    const current = await this.get(projectId, id);
    if (current.status === 'resolved')
      throw new KeelError('conflict', `Incident ${id} is already resolved.`, {
        issues: [
          { code: 'invalid_transition', path: ['status'], message: `resolved → ${status} is not allowed` },
        ],
      });
    if (current.status === status)
      throw new KeelError('conflict', `Incident ${id} is already ${status}.`, {
        issues: [
          { code: 'invalid_transition', path: ['status'], message: `${status} → ${status} is not allowed` },
        ],
      });
    const notes = note ? [...current.notes, { at: new Date().toISOString(), by, text: note }] : current.notes;
    const { rows } = await this.db.query<IncidentRow>(
      `UPDATE incidents SET status = $3, notes = $4,
              acknowledged_at = COALESCE(acknowledged_at, now()),
              resolved_at = CASE WHEN $3 = 'resolved' THEN now() ELSE resolved_at END, updated_at = now()
        WHERE id = $1 AND project_id = $2 AND status = $5 RETURNING *`,
      [id, projectId, status, JSON.stringify(notes), current.status],
    );
    if (!rows[0]) throw new KeelError('conflict', `Incident ${id} changed meanwhile; read it again.`);
    const incident = toIncident(rows[0]);
    this.audit.record({
      action: `incident.${status === 'acknowledged' ? 'acknowledge' : 'resolve'}`,
      projectId,
      target: { type: 'incident', id },
      before: { status: current.status },
      after: { status },
    });
    return incident;
  }

  async addNote(projectId: string, id: string, by: string | null, text: string): Promise<Incident> {
    const { rows } = await this.db.query<IncidentRow>(
      `UPDATE incidents SET notes = notes || $3::jsonb, updated_at = now() WHERE id = $1 AND project_id = $2 RETURNING *`,
      [id, projectId, JSON.stringify([{ at: new Date().toISOString(), by, text }])],
    );
    if (!rows[0]) throw new KeelError('not_found', `Incident ${id} not found.`);
    this.audit.record({ action: 'incident.note', projectId, target: { type: 'incident', id } });
    return toIncident(rows[0]);
  }
}
