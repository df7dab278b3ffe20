/**
 * @module cli/commands/monitor
 * `keel monitor …`: monitors on the request log (create, list, run now, results), the alerts
 * they raised and the incidents those opened (acknowledge, resolve, with a note), and the
 * ledger's limits (`keel monitor limits`). Every command calls the HTTP API (a running server, or
 * Keel started in process), prints a table, or JSON with `--json`.
 */

import type { LimitUsageJson } from '../../api/ledger.js';
import type { AlertJson, IncidentJson, MonitorJson } from '../../api/monitors.js';
import { KeelError } from '../../core/errors.js';
import type { CommandContext, CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { printJson, printRows } from '../output.js';

type Transport = {
  request<T>(
    method: string,
    path: string,
    options?: { body?: unknown; query?: Record<string, string | number | boolean | undefined> },
  ): Promise<T>;
};

function api<T>(context: CommandContext, work: (client: Transport) => Promise<T>): Promise<T> {
  return withConnection(context, ({ client }) => work(client as unknown as Transport));
}

const thresholdPattern =
  /^([A-Za-z0-9_.-]+)\s*(>=|<=|>|<)\s*(-?[0-9.]+(?:e-?[0-9]+)?)(?::(info|warning|critical))?$/;

/** `error_rate>0.1:critical,latency_p95_ms>=2000` → thresholds. */
export function parseThresholds(text: string) {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, index) => {
      const match = thresholdPattern.exec(part);
      if (!match)
        throw new KeelError('invalid_request', `Threshold "${part}" is not metric<op>value[:severity].`, {
          issues: [
            {
              code: 'invalid_threshold',
              path: ['thresholds', index],
              message: 'Write e.g. error_rate>0.1:critical or latency_p95_ms>=2000',
            },
          ],
        });
      return {
        metric: match[1]!,
        operator: match[2] as '>' | '>=' | '<' | '<=',
        value: Number(match[3]),
        severity: (match[4] ?? 'warning') as 'info' | 'warning' | 'critical',
      };
    });
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new KeelError('invalid_request', `--${name} must be a positive whole number of seconds.`, {
      issues: [{ code: 'invalid_number', path: [name], message: 'A positive integer' }],
    });
  return number;
}

const monitorRow = (monitor: MonitorJson) => ({
  id: monitor.id,
  name: monitor.name,
  kind: monitor.kind,
  deployment: monitor.deployment_id ?? '(project)',
  every: `${monitor.interval_seconds}s`,
  thresholds: monitor.thresholds.map((t) => `${t.metric}${t.operator}${t.value}`).join(' '),
  last_run: monitor.last_run_at ?? '-',
});

const alertRow = (alert: AlertJson) => ({
  id: alert.id,
  monitor: alert.monitor_id,
  metric: alert.metric,
  value: alert.value,
  threshold: `${alert.operator}${alert.threshold}`,
  severity: alert.severity,
  delivery: alert.delivery,
  incident: alert.incident_id ?? '-',
  at: alert.created_at,
});

const incidentRow = (incident: IncidentJson) => ({
  id: incident.id,
  status: incident.status,
  severity: incident.severity,
  title: incident.title,
  notes: incident.notes.length,
  opened: incident.created_at,
});

export const listCommand: CommandHandler = async (context, _args, options) => {
  const { monitors } = await api(context, (client) =>
    client.request<{ monitors: MonitorJson[] }>('GET', '/api/v1/monitors', {
      query: { deployment_id: options.deployment as string | undefined },
    }),
  );
  printRows(context.io, context.global.json, monitors, monitorRow);
  return 0;
};

export const createCommand: CommandHandler = async (context, args, options) => {
  const favourable = options.favourable ? String(options.favourable).split(',').filter(Boolean) : undefined;
  const config = {
    ...(options.window !== undefined ? { window_seconds: integer(options.window, 'window') } : {}),
    ...(options.baseline !== undefined ? { baseline_seconds: integer(options.baseline, 'baseline') } : {}),
    ...(options.attribute ? { attribute: String(options.attribute) } : {}),
    ...(favourable ? { favourable } : {}),
  };
  const body = {
    name: args[0],
    kind: options.kind ?? 'traffic',
    ...(options.deployment ? { deployment_id: String(options.deployment) } : {}),
    ...(Object.keys(config).length ? { config } : {}),
    ...(options.thresholds ? { thresholds: parseThresholds(String(options.thresholds)) } : {}),
    ...(options.interval !== undefined ? { interval_seconds: integer(options.interval, 'interval') } : {}),
    ...(options.webhook ? { webhook_url: String(options.webhook) } : {}),
  };
  const created = await api(context, (client) =>
    client.request<MonitorJson & { webhook_secret: string | null }>('POST', '/api/v1/monitors', { body }),
  );
  if (context.global.json) printJson(context.io, created);
  else {
    context.io.stdout.write(`Created monitor ${created.id} (${created.kind}).\n`);
    if (created.webhook_secret)
      context.io.stdout.write(`Webhook signing secret (shown once): ${created.webhook_secret}\n`);
  }
  return 0;
};

export const runCommand: CommandHandler = async (context, args) => {
  const run = await api(context, (client) =>
    client.request<{ result: { metrics: Record<string, unknown> }; alerts: AlertJson[] }>(
      'POST',
      `/api/v1/monitors/${encodeURIComponent(args[0]!)}/run`,
      { query: { wait: 'true' } },
    ),
  );
  if (context.global.json) printJson(context.io, run);
  else {
    const rows = Object.entries(run.result.metrics).map(([metric, value]) => ({
      metric,
      value: typeof value === 'object' && value !== null ? JSON.stringify(value) : value,
    }));
    printRows(context.io, false, rows, (row) => row);
    context.io.stdout.write(
      run.alerts.length ? `${run.alerts.length} alert(s) raised.\n` : 'No threshold crossed.\n',
    );
  }
  return 0;
};

export const resultsCommand: CommandHandler = async (context, args, options) => {
  const { results } = await api(context, (client) =>
    client.request<{ results: { id: string; window_to: string; metrics: Record<string, unknown> }[] }>(
      'GET',
      `/api/v1/monitors/${encodeURIComponent(args[0]!)}/results`,
      { query: { limit: options.limit !== undefined ? Number(options.limit) : undefined } },
    ),
  );
  printRows(context.io, context.global.json, results, (result) => ({
    id: result.id,
    window_end: result.window_to,
    ...Object.fromEntries(
      Object.entries(result.metrics).filter(([, value]) => typeof value === 'number' || value === null),
    ),
  }));
  return 0;
};

export const alertsCommand: CommandHandler = async (context, _args, options) => {
  const { alerts } = await api(context, (client) =>
    client.request<{ alerts: AlertJson[] }>('GET', '/api/v1/alerts', {
      query: { monitor_id: options.monitor as string | undefined },
    }),
  );
  printRows(context.io, context.global.json, alerts, alertRow);
  return 0;
};

export const incidentsCommand: CommandHandler = async (context, _args, options) => {
  const { incidents } = await api(context, (client) =>
    client.request<{ incidents: IncidentJson[] }>('GET', '/api/v1/incidents', {
      query: { status: options.status as string | undefined },
    }),
  );
  printRows(context.io, context.global.json, incidents, incidentRow);
  return 0;
};

const transition =
  (status: 'acknowledged' | 'resolved'): CommandHandler =>
  async (context, args, options) => {
    const incident = await api(context, (client) =>
      client.request<IncidentJson>('PATCH', `/api/v1/incidents/${encodeURIComponent(args[0]!)}`, {
        body: { status, ...(options.note ? { note: String(options.note) } : {}) },
      }),
    );
    if (context.global.json) printJson(context.io, incident);
    else context.io.stdout.write(`Incident ${incident.id} is ${incident.status}.\n`);
    return 0;
  };

export const acknowledgeCommand = transition('acknowledged');
export const resolveCommand = transition('resolved');

export const limitsCommand: CommandHandler = async (context) => {
  const { limits } = await api(context, (client) =>
    client.request<{ limits: LimitUsageJson[] }>('GET', '/api/v1/limits'),
  );
  printRows(context.io, context.global.json, limits, (limit) => ({
    id: limit.id,
    scope: `${limit.scope_type}:${limit.scope_id}`,
    metric: limit.metric,
    period: limit.period,
    limit: limit.limit,
    used: limit.used,
    reserved: limit.reserved,
    remaining: limit.remaining,
  }));
  return 0;
};
