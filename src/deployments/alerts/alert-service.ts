/**
 * @module deployments/alerts/alert-service
 * Turns a monitor run's values into alerts: each threshold a value crosses raises one alert,
 * which joins the monitor's open incident (or opens one) and is delivered to the monitor's
 * webhook, when it has one (signed, retried with backoff, cut off at a timeout). Alerts are
 * listed in the API with their delivery state; raising one is audited.
 */
import type { AuditRecorder } from '../../audit/index.js';
import { newId } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import type { DatabaseSession } from '../../spec/database.js';
import type { Monitor, MonitorRow, Threshold } from '../monitoring/monitor-store.js';
import type { IncidentStore } from './incident-store.js';
import { deliverWebhook, type WebhookDelivery } from './webhook.js';

export interface Alert {
  id: string;
  projectId: string;
  monitorId: string;
  incidentId: string | null;
  metric: string;
  value: number;
  operator: string;
  threshold: number;
  severity: string;
  delivery: 'none' | 'pending' | 'delivered' | 'failed';
  deliveryAttempts: number;
  deliveryError: string | null;
  createdAt: Date;
}

interface AlertRow {
  id: string;
  project_id: string;
  monitor_id: string;
  incident_id: string | null;
  metric: string;
  value: number;
  operator: string;
  threshold: number;
  severity: string;
  delivery: Alert['delivery'];
  delivery_attempts: number;
  delivery_error: string | null;
  created_at: Date;
}

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    projectId: row.project_id,
    monitorId: row.monitor_id,
    incidentId: row.incident_id,
    metric: row.metric,
    value: Number(row.value),
    operator: row.operator,
    threshold: Number(row.threshold),
    severity: row.severity,
    delivery: row.delivery,
    deliveryAttempts: row.delivery_attempts,
    deliveryError: row.delivery_error,
    createdAt: row.created_at,
  };
}

/** Whether `value` crosses the threshold. */
export function crosses(value: number, threshold: Threshold): boolean {
  switch (threshold.operator) {
    case '>':
      return value > threshold.value;
    case '>=':
      return value >= threshold.value;
    case '<':
      return value < threshold.value;
    default:
      return value <= threshold.value;
  }
}

/** A metric's value by name (`hit_rate.pii` reads the key as it is). */
function metricValue(metrics: Record<string, unknown>, metric: string): number | undefined {
  const value = metrics[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export interface AlertServiceOptions {
  db: DatabaseSession;
  audit: AuditRecorder;
  incidents: IncidentStore;
  allowPrivateWebhooks: boolean;
  logger?: Logger | undefined;
  /** Delivery settings (tests shorten the backoff and the timeout). */
  webhook?: Partial<Pick<WebhookDelivery, 'attempts' | 'backoffMs' | 'timeoutMs' | 'fetch'>>;
}

export class AlertService {
  constructor(private readonly options: AlertServiceOptions) {}

  async list(
    projectId: string,
    filter: { monitorId?: string | undefined; limit?: number | undefined } = {},
  ): Promise<Alert[]> {
    const { rows } = await this.options.db.query<AlertRow>(
      `SELECT * FROM alerts WHERE project_id = $1 AND ($2::text IS NULL OR monitor_id = $2)
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [projectId, filter.monitorId ?? null, filter.limit ?? 100],
    );
    return rows.map(toAlert);
  }

  /** Raises the alerts a run's values call for, opens the incident, and delivers them. */
  async evaluate(monitor: Monitor, row: MonitorRow, metrics: Record<string, unknown>): Promise<Alert[]> {
    const crossed = monitor.thresholds.flatMap((threshold) => {
      const value = metricValue(metrics, threshold.metric);
      return value !== undefined && crosses(value, threshold) ? [{ threshold, value }] : [];
    });
    if (!crossed.length) return [];
    const worst = crossed.some((c) => c.threshold.severity === 'critical')
      ? 'critical'
      : crossed.some((c) => c.threshold.severity === 'warning')
        ? 'warning'
        : 'info';
    const incident = await this.options.incidents.openFor(
      monitor,
      worst,
      `${monitor.name}: ${crossed.map((c) => `${c.threshold.metric} ${c.threshold.operator} ${c.threshold.value}`).join(', ')}`,
    );
    const alerts: Alert[] = [];
    for (const { threshold, value } of crossed) {
      const { rows } = await this.options.db.query<AlertRow>(
        `INSERT INTO alerts (id, project_id, monitor_id, incident_id, metric, value, operator, threshold, severity, delivery)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [
          newId('alr'),
          monitor.projectId,
          monitor.id,
          incident.id,
          threshold.metric,
          value,
          threshold.operator,
          threshold.value,
          threshold.severity,
          row.webhook_url ? 'pending' : 'none',
        ],
      );
      const alert = toAlert(rows[0]!);
      this.options.audit.record({
        action: 'alert.raise',
        projectId: monitor.projectId,
        target: { type: 'alert', id: alert.id },
        after: {
          monitorId: monitor.id,
          metric: alert.metric,
          value,
          threshold: threshold.value,
          incidentId: incident.id,
        },
      });
      alerts.push(alert);
    }
    if (row.webhook_url && row.webhook_secret)
      return this.#deliver(monitor, row.webhook_url, row.webhook_secret, alerts, incident.id, metrics);
    return alerts;
  }

  async #deliver(
    monitor: Monitor,
    url: string,
    secret: string,
    alerts: Alert[],
    incidentId: string,
    metrics: Record<string, unknown>,
  ): Promise<Alert[]> {
    const outcome = await deliverWebhook({
      url,
      secret,
      payload: {
        type: 'keel.alert',
        monitor: {
          id: monitor.id,
          name: monitor.name,
          kind: monitor.kind,
          deployment_id: monitor.deploymentId,
        },
        project_id: monitor.projectId,
        incident_id: incidentId,
        alerts: alerts.map((alert) => ({
          id: alert.id,
          metric: alert.metric,
          value: alert.value,
          operator: alert.operator,
          threshold: alert.threshold,
          severity: alert.severity,
          created_at: alert.createdAt.toISOString(),
        })),
        metrics,
      },
      allowPrivateNetwork: this.options.allowPrivateWebhooks,
      ...this.options.webhook,
    });
    if (!outcome.delivered)
      this.options.logger?.warn(
        { monitorId: monitor.id, attempts: outcome.attempts, error: outcome.error },
        'alert webhook not delivered',
      );
    const { rows } = await this.options.db.query<AlertRow>(
      `UPDATE alerts SET delivery = $2, delivery_attempts = $3, delivery_error = $4 WHERE id = ANY($1::text[]) RETURNING *`,
      [
        alerts.map((alert) => alert.id),
        outcome.delivered ? 'delivered' : 'failed',
        outcome.attempts,
        outcome.error,
      ],
    );
    const byId = new Map(rows.map((row) => [row.id, toAlert(row)]));
    return alerts.map((alert) => byId.get(alert.id) ?? alert);
  }
}
