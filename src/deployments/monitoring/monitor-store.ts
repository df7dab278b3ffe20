/**
 * @module deployments/monitoring/monitor-store
 * Monitors as rows: what a monitor watches (a project, or one deployment), its kind (traffic,
 * guardrails, drift, fairness) and settings, its thresholds, how often it runs and where its
 * alerts go (a webhook, checked against private addresses). Results are kept per run. Every change
 * is audited; the webhook secret is never read back.
 */
import { randomBytes } from 'node:crypto';
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { assertPublicUrl } from '../../core/outbound-url.js';
import type { DatabaseSession } from '../../spec/database.js';

export const monitorKinds = ['traffic', 'guardrails', 'drift', 'fairness'] as const;
export type MonitorKind = (typeof monitorKinds)[number];
export const thresholdOperators = ['>', '>=', '<', '<='] as const;
export type ThresholdOperator = (typeof thresholdOperators)[number];
export const severities = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof severities)[number];

export interface Threshold {
  metric: string;
  operator: ThresholdOperator;
  value: number;
  severity: Severity;
}

export interface MonitorConfig {
  /** Length of the window a run looks at (default: the interval). */
  windowSeconds?: number | undefined;
  /** Drift: the baseline window, explicit, or the `baselineSeconds` before the current window. */
  baselineFrom?: string | undefined;
  baselineTo?: string | undefined;
  baselineSeconds?: number | undefined;
  /** Fairness: the protected attribute, the favourable outcomes, the reference group. */
  attribute?: string | undefined;
  favourable?: string[] | undefined;
  referenceGroup?: string | undefined;
}

export interface Monitor {
  id: string;
  projectId: string;
  deploymentId: string | null;
  name: string;
  kind: MonitorKind;
  config: MonitorConfig;
  thresholds: Threshold[];
  intervalSeconds: number;
  webhookUrl: string | null;
  enabled: boolean;
  lastRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MonitorRow {
  id: string;
  project_id: string;
  deployment_id: string | null;
  name: string;
  kind: MonitorKind;
  config: MonitorConfig;
  thresholds: Threshold[];
  interval_seconds: number;
  webhook_url: string | null;
  webhook_secret: string | null;
  enabled: boolean;
  last_run_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function toMonitor(row: MonitorRow): Monitor {
  return {
    id: row.id,
    projectId: row.project_id,
    deploymentId: row.deployment_id,
    name: row.name,
    kind: row.kind,
    config: row.config ?? {},
    thresholds: row.thresholds ?? [],
    intervalSeconds: row.interval_seconds,
    webhookUrl: row.webhook_url,
    enabled: row.enabled,
    lastRunAt: row.last_run_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface MonitorInput {
  name: string;
  kind: MonitorKind;
  deploymentId?: string | null | undefined;
  config?: MonitorConfig | undefined;
  thresholds?: Threshold[] | undefined;
  intervalSeconds?: number | undefined;
  webhookUrl?: string | null | undefined;
  enabled?: boolean | undefined;
}

export interface MonitorResult {
  id: string;
  monitorId: string;
  windowFrom: Date;
  windowTo: Date;
  metrics: Record<string, unknown>;
  createdAt: Date;
}

export class MonitorStore {
  constructor(
    private readonly db: DatabaseSession,
    private readonly audit: AuditRecorder,
    private readonly options: { allowPrivateWebhooks: boolean },
  ) {}

  async list(projectId: string, filter: { deploymentId?: string | undefined } = {}): Promise<Monitor[]> {
    const { rows } = await this.db.query<MonitorRow>(
      `SELECT * FROM monitors WHERE project_id = $1 AND ($2::text IS NULL OR deployment_id = $2) ORDER BY name`,
      [projectId, filter.deploymentId ?? null],
    );
    return rows.map(toMonitor);
  }

  async row(projectId: string | null, id: string): Promise<MonitorRow> {
    const { rows } = await this.db.query<MonitorRow>(
      'SELECT * FROM monitors WHERE id = $1 AND ($2::text IS NULL OR project_id = $2)',
      [id, projectId],
    );
    const row = rows[0];
    if (!row) throw new KeelError('not_found', `Monitor ${id} not found.`);
    return row;
  }

  async get(projectId: string, id: string): Promise<Monitor> {
    return toMonitor(await this.row(projectId, id));
  }

  /** Creates a monitor; a webhook gets a fresh signing secret, returned this once. */
  async create(
    projectId: string,
    actor: string | null,
    input: MonitorInput,
  ): Promise<{ monitor: Monitor; webhookSecret: string | null }> {
    checkConfig(input);
    const webhookUrl = input.webhookUrl ? await this.#checkWebhook(input.webhookUrl) : null;
    const secret = webhookUrl ? `whsec_${randomBytes(24).toString('base64url')}` : null;
    let rows: MonitorRow[];
    try {
      ({ rows } = await this.db.query<MonitorRow>(
        `INSERT INTO monitors (id, project_id, deployment_id, name, kind, config, thresholds, interval_seconds, webhook_url, webhook_secret, enabled, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
        [
          newId('mon'),
          projectId,
          input.deploymentId ?? null,
          input.name,
          input.kind,
          JSON.stringify(input.config ?? {}),
          JSON.stringify(input.thresholds ?? []),
          input.intervalSeconds ?? 300,
          webhookUrl,
          secret,
          input.enabled ?? true,
          actor,
        ],
      ));
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new KeelError('conflict', `A monitor named "${input.name}" already exists in this project.`, {
          issues: [{ code: 'duplicate', path: ['name'], message: 'Name already used' }],
        });
      throw error;
    }
    const monitor = toMonitor(rows[0]!);
    this.audit.record({
      action: 'monitor.create',
      projectId,
      target: { type: 'monitor', id: monitor.id },
      after: { ...monitor, webhookUrl: monitor.webhookUrl ? '(set)' : null },
    });
    return { monitor, webhookSecret: secret };
  }

  async update(projectId: string, id: string, changes: Partial<MonitorInput>): Promise<Monitor> {
    const current = await this.get(projectId, id);
    const merged: MonitorInput = {
      name: changes.name ?? current.name,
      kind: current.kind,
      config: changes.config ?? current.config,
      thresholds: changes.thresholds ?? current.thresholds,
      intervalSeconds: changes.intervalSeconds ?? current.intervalSeconds,
      enabled: changes.enabled ?? current.enabled,
    };
    checkConfig(merged);
    const webhookUrl =
      changes.webhookUrl === undefined
        ? current.webhookUrl
        : changes.webhookUrl
          ? await this.#checkWebhook(changes.webhookUrl)
          : null;
    const { rows } = await this.db.query<MonitorRow>(
      `UPDATE monitors SET name = $3, config = $4, thresholds = $5, interval_seconds = $6, enabled = $7, webhook_url = $8,
              webhook_secret = CASE WHEN $8::text IS NULL THEN NULL ELSE COALESCE(webhook_secret, $9) END, updated_at = now()
        WHERE id = $1 AND project_id = $2 RETURNING *`,
      [
        id,
        projectId,
        merged.name,
        JSON.stringify(merged.config),
        JSON.stringify(merged.thresholds),
        merged.intervalSeconds,
        merged.enabled,
        webhookUrl,
        `whsec_${randomBytes(24).toString('base64url')}`,
      ],
    );
    const monitor = toMonitor(rows[0]!);
    this.audit.record({
      action: 'monitor.update',
      projectId,
      target: { type: 'monitor', id },
      before: current,
      after: monitor,
    });
    return monitor;
  }

  async remove(projectId: string, id: string): Promise<void> {
    await this.db.query('DELETE FROM alerts WHERE monitor_id = $1 AND project_id = $2', [id, projectId]);
    const { rows } = await this.db.query<{ id: string }>(
      'DELETE FROM monitors WHERE id = $1 AND project_id = $2 RETURNING id',
      [id, projectId],
    );
    if (!rows.length) throw new KeelError('not_found', `Monitor ${id} not found.`);
    this.audit.record({ action: 'monitor.delete', projectId, target: { type: 'monitor', id } });
  }

  /** Claims the monitors due to run (each claimed by one replica: the update is the lock). */
  async claimDue(now: Date = new Date()): Promise<Monitor[]> {
    const { rows } = await this.db.query<MonitorRow>(
      `UPDATE monitors SET last_run_at = $1
        WHERE enabled AND (last_run_at IS NULL OR last_run_at + interval_seconds * interval '1 second' <= $1)
        RETURNING *`,
      [now],
    );
    return rows.map(toMonitor);
  }

  async saveResult(
    monitor: Monitor,
    windowFrom: Date,
    windowTo: Date,
    metrics: Record<string, unknown>,
  ): Promise<MonitorResult> {
    const id = newId('mres');
    const { rows } = await this.db.query<{ created_at: Date }>(
      `INSERT INTO monitor_results (id, monitor_id, project_id, window_from, window_to, metrics)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at`,
      [id, monitor.id, monitor.projectId, windowFrom, windowTo, JSON.stringify(metrics)],
    );
    await this.db.query(
      'UPDATE monitors SET last_run_at = GREATEST(COALESCE(last_run_at, $2), $2) WHERE id = $1',
      [monitor.id, new Date()],
    );
    return { id, monitorId: monitor.id, windowFrom, windowTo, metrics, createdAt: rows[0]!.created_at };
  }

  async results(projectId: string, monitorId: string, limit = 50): Promise<MonitorResult[]> {
    await this.get(projectId, monitorId);
    const { rows } = await this.db.query<{
      id: string;
      monitor_id: string;
      window_from: Date;
      window_to: Date;
      metrics: Record<string, unknown>;
      created_at: Date;
    }>('SELECT * FROM monitor_results WHERE monitor_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [
      monitorId,
      limit,
    ]);
    return rows.map((row) => ({
      id: row.id,
      monitorId: row.monitor_id,
      windowFrom: row.window_from,
      windowTo: row.window_to,
      metrics: row.metrics,
      createdAt: row.created_at,
    }));
  }

  async #checkWebhook(url: string): Promise<string> {
    const checked = await assertPublicUrl(url, {
      allowPrivateNetwork: this.options.allowPrivateWebhooks,
    }).catch((error: unknown) => {
      if (error instanceof KeelError)
        throw new KeelError(error.code, error.message, {
          issues: [{ code: 'webhook_url', path: ['webhook_url'], message: error.message }],
          ...(error.data ? { data: error.data } : {}),
        });
      throw error;
    });
    return checked.href;
  }
}

function checkConfig(input: MonitorInput): void {
  if (input.kind === 'fairness' && (!input.config?.attribute || !input.config.favourable?.length))
    throw new KeelError(
      'invalid_request',
      'A fairness monitor needs the protected attribute and the favourable outcomes.',
      {
        issues: [
          { code: 'required', path: ['config', 'attribute'], message: 'Name the protected attribute' },
          { code: 'required', path: ['config', 'favourable'], message: 'List the favourable outcomes' },
        ],
      },
    );
  const from = input.config?.baselineFrom;
  const to = input.config?.baselineTo;
  if ((from && !to) || (!from && to) || (from && to && Date.parse(from) >= Date.parse(to)))
    throw new KeelError('invalid_request', 'A baseline window needs both ends, the start before the end.', {
      issues: [
        {
          code: 'invalid_window',
          path: ['config', 'baseline_from'],
          message: 'Give baseline_from < baseline_to',
        },
      ],
    });
}
