/**
 * @module deployments/ledger/limit-store
 * The limits of the ledger as rows: one per scope (project, API key, deployment) and metric
 * (requests or tokens per minute, a token or cost budget per day, month or in total), and the
 * deployment scope of API keys. Every change is audited; every replica's ledger drops its cached
 * limits when a row changes (the `ledger_limits` and `api_keys` triggers of migration 0016).
 */
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DatabaseSession } from '../../spec/database.js';

export const limitMetrics = [
  'requests_per_minute',
  'tokens_per_minute',
  'token_budget',
  'cost_budget',
] as const;
export type LimitMetric = (typeof limitMetrics)[number];
export const scopeTypes = ['project', 'key', 'deployment'] as const;
export type ScopeType = (typeof scopeTypes)[number];
export const limitPeriods = ['minute', 'day', 'month', 'total'] as const;
export type LimitPeriod = (typeof limitPeriods)[number];

export interface LedgerLimit {
  id: string;
  projectId: string;
  scopeType: ScopeType;
  scopeId: string;
  metric: LimitMetric;
  limit: number;
  period: LimitPeriod;
  createdAt: Date;
  updatedAt: Date;
}

interface LimitRow {
  id: string;
  project_id: string;
  scope_type: ScopeType;
  scope_id: string;
  metric: LimitMetric;
  limit_value: number;
  period: LimitPeriod;
  created_at: Date;
  updated_at: Date;
}

export function toLimit(row: LimitRow): LedgerLimit {
  return {
    id: row.id,
    projectId: row.project_id,
    scopeType: row.scope_type,
    scopeId: row.scope_id,
    metric: row.metric,
    limit: Number(row.limit_value),
    period: row.period,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface SetLimitInput {
  scopeType: ScopeType;
  scopeId: string;
  metric: LimitMetric;
  limit: number;
  /** Budgets: 'day', 'month' or 'total' (default). Rates are always per minute. */
  period?: LimitPeriod | undefined;
}

/** Rates count per minute whatever is asked; a budget's period defaults to its whole life. */
function periodOf(input: SetLimitInput): LimitPeriod {
  if (input.metric === 'requests_per_minute' || input.metric === 'tokens_per_minute') return 'minute';
  const period = input.period ?? 'total';
  if (period === 'minute')
    throw new KeelError('invalid_request', 'A budget runs per day, per month or in total, not per minute.', {
      issues: [{ code: 'invalid_period', path: ['period'], message: "Use 'day', 'month' or 'total'." }],
    });
  return period;
}

export class LimitStore {
  constructor(
    private readonly db: DatabaseSession,
    private readonly audit: AuditRecorder,
  ) {}

  async list(projectId: string, scope?: { scopeType?: ScopeType; scopeId?: string }): Promise<LedgerLimit[]> {
    const { rows } = await this.db.query<LimitRow>(
      `SELECT * FROM ledger_limits WHERE project_id = $1
          AND ($2::text IS NULL OR scope_type = $2) AND ($3::text IS NULL OR scope_id = $3)
        ORDER BY scope_type, scope_id, metric`,
      [projectId, scope?.scopeType ?? null, scope?.scopeId ?? null],
    );
    return rows.map(toLimit);
  }

  /** Limits of one scope, any project (the ledger's loader: scope ids are unique across projects). */
  async forScope(scopeId: string): Promise<LedgerLimit[]> {
    const { rows } = await this.db.query<LimitRow>('SELECT * FROM ledger_limits WHERE scope_id = $1', [
      scopeId,
    ]);
    return rows.map(toLimit);
  }

  /** Creates or replaces the limit of a scope and metric (the window's counters stay). */
  async set(projectId: string, input: SetLimitInput): Promise<LedgerLimit> {
    await this.#checkScope(projectId, input.scopeType, input.scopeId);
    const period = periodOf(input);
    const { rows } = await this.db.query<LimitRow>(
      `INSERT INTO ledger_limits (id, project_id, scope_type, scope_id, metric, limit_value, period)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (scope_type, scope_id, metric)
         DO UPDATE SET limit_value = excluded.limit_value, period = excluded.period, updated_at = now()
         WHERE ledger_limits.project_id = excluded.project_id
       RETURNING *`,
      [newId('lim'), projectId, input.scopeType, input.scopeId, input.metric, input.limit, period],
    );
    const row = rows[0];
    if (!row) throw new KeelError('not_found', `${input.scopeType} ${input.scopeId} not found.`);
    const limit = toLimit(row);
    this.audit.record({
      action: 'limit.set',
      projectId,
      target: { type: 'limit', id: limit.id },
      after: {
        scopeType: limit.scopeType,
        scopeId: limit.scopeId,
        metric: limit.metric,
        limit: limit.limit,
        period,
      },
    });
    return limit;
  }

  async remove(projectId: string, id: string): Promise<void> {
    const { rows } = await this.db.query<{ id: string }>(
      'DELETE FROM ledger_limits WHERE id = $1 AND project_id = $2 RETURNING id',
      [id, projectId],
    );
    if (!rows.length) throw new KeelError('not_found', `Limit ${id} not found.`);
    this.audit.record({ action: 'limit.delete', projectId, target: { type: 'limit', id } });
  }

  /** What each limit of a project has used and holds reserved in its current window. */
  async usage(projectId: string, windowOf: (limit: LedgerLimit) => number) {
    const limits = await this.list(projectId);
    if (!limits.length) return [];
    const { rows } = await this.db.query<{
      limit_id: string;
      window_start: string;
      used: number;
      reserved: number;
    }>(
      `SELECT limit_id, window_start::text, used, reserved FROM ledger_counters
        WHERE (limit_id, window_start) IN (SELECT * FROM unnest($1::text[], $2::int8[]))`,
      [limits.map((limit) => limit.id), limits.map((limit) => windowOf(limit))],
    );
    const byId = new Map(rows.map((row) => [row.limit_id, row]));
    return limits.map((limit) => {
      const counter = byId.get(limit.id);
      return {
        limit,
        windowStart: windowOf(limit),
        used: Number(counter?.used ?? 0),
        reserved: Number(counter?.reserved ?? 0),
      };
    });
  }

  /** Restricts a key to some deployments (null: no restriction). */
  async setKeyScope(
    projectId: string,
    keyId: string,
    deployments: string[] | null,
  ): Promise<string[] | null> {
    const { rows } = await this.db.query<{ deployment_scope: string[] | null }>(
      `UPDATE api_keys SET deployment_scope = $3 WHERE id = $1 AND project_id = $2 AND kind = 'api'
       RETURNING deployment_scope`,
      [keyId, projectId, deployments],
    );
    if (!rows.length) throw new KeelError('not_found', `API key ${keyId} not found.`);
    this.audit.record({
      action: 'key.scope',
      projectId,
      target: { type: 'key', id: keyId },
      after: { deployments },
    });
    return rows[0]!.deployment_scope;
  }

  /** The deployments a key may call (null: any). */
  async keyScope(keyId: string): Promise<string[] | null> {
    const { rows } = await this.db.query<{ deployment_scope: string[] | null }>(
      'SELECT deployment_scope FROM api_keys WHERE id = $1',
      [keyId],
    );
    return rows[0]?.deployment_scope ?? null;
  }

  async #checkScope(projectId: string, scopeType: ScopeType, scopeId: string): Promise<void> {
    const table = { project: 'projects', key: 'api_keys', deployment: 'deployments' }[scopeType];
    const column = scopeType === 'project' ? 'id' : 'project_id';
    const sql =
      scopeType === 'project'
        ? 'SELECT 1 FROM projects WHERE id = $1 AND id = $2'
        : `SELECT 1 FROM ${table} WHERE id = $1 AND ${column} = $2`;
    let found: boolean;
    try {
      found = (await this.db.query(sql, [scopeId, projectId])).rows.length > 0;
    } catch {
      // The deployments table belongs to another migration; without it, deployments are not checked.
      found = scopeType === 'deployment';
    }
    if (!found)
      throw new KeelError('not_found', `${scopeType} ${scopeId} not found in this project.`, {
        issues: [
          { code: 'not_found', path: ['scopeId'], message: `No ${scopeType} ${scopeId} in this project` },
        ],
      });
  }
}
