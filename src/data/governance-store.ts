/**
 * @module data/governance-store
 * Column tags and masking policies of a project's tables, stored in `data_column_tags` and
 * `data_masking_policies`. Every query reads them, so each project's set is kept in memory and
 * reloaded after a change: here at once, and on every replica when the change notification
 * arrives (storage/core/cache-invalidation); `refreshMs` bounds the staleness should one be lost.
 */
import { createHmac } from 'node:crypto';
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { DatabaseV1 } from '../spec/database.js';
import { changeFeed } from '../storage/core/cache-invalidation.js';
import { type ColumnTag, type MaskingPolicy, type MaskMethod, type MaskPlan, maskPlan } from './masking.js';

export interface GovernanceSnapshot {
  tags: ColumnTag[];
  policies: MaskingPolicy[];
}

export interface NewMaskingPolicy {
  tag?: string | undefined;
  table?: string | undefined;
  column?: string | undefined;
  method: MaskMethod;
  roles: string[];
}

export interface PlanForRole {
  plan: MaskPlan;
  /** Names the plan (for caches of rewritten queries). */
  key: string;
}

const TAG = /^[a-z][a-z0-9_-]{0,39}$/;

export class GovernanceStore {
  private readonly snapshots = new Map<string, { at: number; value: Promise<GovernanceSnapshot> }>();
  private readonly plans = new Map<string, PlanForRole>();

  constructor(
    private readonly options: {
      db: DatabaseV1;
      audit: AuditRecorder;
      secretKey: Buffer;
      refreshMs?: number;
    },
  ) {
    const feed = changeFeed(options.db);
    for (const table of ['data_column_tags', 'data_masking_policies'])
      feed.subscribe(table, (projectId) => (projectId === '*' ? this.#forgetAll() : this.changed(projectId)));
  }

  #forgetAll(): void {
    this.snapshots.clear();
    this.plans.clear();
  }

  /** The key that salts hashed values of one project. */
  saltOf(projectId: string): string {
    return createHmac('sha256', this.options.secretKey).update(`data-mask:${projectId}`).digest('hex');
  }

  snapshot(projectId: string): Promise<GovernanceSnapshot> {
    const cached = this.snapshots.get(projectId);
    if (cached && performance.now() - cached.at < (this.options.refreshMs ?? 30_000)) return cached.value;
    const value = this.load(projectId);
    value.catch(() => this.snapshots.delete(projectId));
    this.snapshots.set(projectId, { at: performance.now(), value });
    for (const key of this.plans.keys()) if (key.startsWith(`${projectId}\u0000`)) this.plans.delete(key);
    return value;
  }

  /** The columns masked for `role` in the project (undefined role: every policy applies). */
  async planFor(projectId: string, role: string | undefined): Promise<PlanForRole> {
    const snapshot = await this.snapshot(projectId);
    const cacheKey = `${projectId}\u0000${role ?? '*'}`;
    const cached = this.plans.get(cacheKey);
    if (cached) return cached;
    const plan = maskPlan(role, snapshot.tags, snapshot.policies);
    const key = JSON.stringify([...plan].map(([table, columns]) => [table, [...columns]]));
    const value = { plan, key };
    this.plans.set(cacheKey, value);
    return value;
  }

  async setTags(
    projectId: string,
    table: string,
    column: string,
    tags: readonly string[],
    actor?: string,
  ): Promise<ColumnTag[]> {
    for (const tag of tags) {
      if (!TAG.test(tag)) {
        throw new KeelError('invalid_request', `A tag is a lower-case word (got "${tag}").`, {
          issues: [{ code: 'invalid_tag', path: ['tags'], message: `invalid tag ${tag}` }],
        });
      }
    }
    const unique = [...new Set(tags)];
    await this.options.db.transaction(async (tx) => {
      await tx.query(
        'DELETE FROM data_column_tags WHERE project_id = $1 AND table_name = $2 AND column_name = $3',
        [projectId, table, column],
      );
      for (const tag of unique) {
        await tx.query(
          `INSERT INTO data_column_tags (project_id, table_name, column_name, tag, created_by)
           VALUES ($1, $2, $3, $4, $5)`,
          [projectId, table, column, tag, actor ?? null],
        );
      }
    });
    this.changed(projectId);
    this.options.audit.record({
      action: 'data.column.tag',
      projectId,
      target: { type: 'data_column', id: `${table}.${column}` },
      after: { tags: unique },
    });
    return (await this.snapshot(projectId)).tags;
  }

  async addPolicy(projectId: string, input: NewMaskingPolicy, actor?: string): Promise<MaskingPolicy> {
    if (!input.tag && !(input.table && input.column)) {
      throw new KeelError('invalid_request', 'A policy masks a tag, or a table and column.', {
        issues: [{ code: 'missing_target', path: ['tag'], message: 'name a tag or a table and column' }],
      });
    }
    const id = newId('dmask');
    await this.options.db.query(
      `INSERT INTO data_masking_policies (id, project_id, tag, table_name, column_name, method, roles, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        projectId,
        input.tag ?? null,
        input.table ?? null,
        input.column ?? null,
        input.method,
        JSON.stringify(input.roles),
        actor ?? null,
      ],
    );
    this.changed(projectId);
    this.options.audit.record({
      action: 'data.masking.create',
      projectId,
      target: { type: 'data_masking_policy', id },
      after: { ...input },
    });
    return (await this.snapshot(projectId)).policies.find((policy) => policy.id === id)!;
  }

  async removePolicy(projectId: string, id: string): Promise<void> {
    const { rows } = await this.options.db.query(
      'DELETE FROM data_masking_policies WHERE project_id = $1 AND id = $2 RETURNING id',
      [projectId, id],
    );
    if (!rows.length) {
      throw new KeelError('not_found', `No masking policy ${id}.`, {
        issues: [{ code: 'unknown_policy', path: ['id'], message: 'no such policy' }],
      });
    }
    this.changed(projectId);
    this.options.audit.record({
      action: 'data.masking.delete',
      projectId,
      target: { type: 'data_masking_policy', id },
    });
  }

  private changed(projectId: string): void {
    this.snapshots.delete(projectId);
    for (const key of this.plans.keys()) if (key.startsWith(`${projectId}\u0000`)) this.plans.delete(key);
  }

  private async load(projectId: string): Promise<GovernanceSnapshot> {
    const tags = await this.options.db.query<{ table_name: string; column_name: string; tag: string }>(
      'SELECT table_name, column_name, tag FROM data_column_tags WHERE project_id = $1 ORDER BY 1, 2, 3',
      [projectId],
    );
    const policies = await this.options.db.query<{
      id: string;
      tag: string | null;
      table_name: string | null;
      column_name: string | null;
      method: MaskMethod;
      roles: string[];
    }>(
      `SELECT id, tag, table_name, column_name, method, roles FROM data_masking_policies
       WHERE project_id = $1 ORDER BY created_at, id`,
      [projectId],
    );
    return {
      tags: tags.rows.map((row) => ({ table: row.table_name, column: row.column_name, tag: row.tag })),
      policies: policies.rows.map((row) => ({
        id: row.id,
        tag: row.tag,
        table: row.table_name,
        column: row.column_name,
        method: row.method,
        roles: row.roles,
      })),
    };
  }
}
