/**
 * @module governance/lifecycle/change-feed
 * Follows the audit chain for changes to governed assets. Every module already records its
 * changes there (`template.version.create`, `collection.config.update`, `policy.update` …), so
 * governance learns of a new template version, another model or a new policy without any module
 * knowing about governance (decision 0021). A change to a tracked asset bumps its revision, drops
 * its approval and sends it back to validate when it had passed; governance records of other
 * replicas drop this replica's gate cache.
 */
import type { DatabaseV1 } from '../../spec/database.js';

/** One change to an asset, as its module recorded it. */
export interface AssetChange {
  projectId: string;
  source: { type: string; id: string };
  /** The asset's new version, when the change makes one. */
  version: number | null;
  actor: string | null;
  cause: string;
  /** The audit record that carried the change (null when a module reports it directly). */
  seq: number | null;
}

interface FeedRow {
  seq: string | number;
  project_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  actor_user_id: string | null;
  actor_key_id: string | null;
  detail: string | null;
}

type Rule = (row: FeedRow, detail: Record<string, unknown>) => AssetChange['source'] | null;

const byTarget =
  (type: string): Rule =>
  (row) =>
    row.target_id ? { type, id: row.target_id } : null;
const byName =
  (type: string): Rule =>
  (_row, detail) =>
    typeof detail.name === 'string' ? { type, id: detail.name } : null;

/** The audit actions that change a governed asset, and which asset each names. */
export const changeRules: Record<string, Rule> = {
  'template.version.create': byTarget('template'),
  'collection.config.update': byTarget('collection'),
  'policy.update': byName('policy'),
  'deployment.update': byTarget('deployment'),
  'model.update': byTarget('model'),
  'dataset.version.create': byTarget('dataset'),
};

const versionKeys = ['version', 'configVersion'];

export interface ChangeFeedOptions {
  db: DatabaseV1;
  apply: (change: AssetChange) => Promise<void>;
  /** A governance (or risk) record from anywhere: drop the project's cached gate answers. */
  touched: (projectId: string) => void;
  intervalMs?: number | undefined;
  onError?: (error: unknown) => void;
}

export class ChangeFeed {
  #cursor: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(readonly options: ChangeFeedOptions) {}

  async start(): Promise<void> {
    this.#stopped = false;
    if (this.#cursor === null) await this.#initCursor();
    this.#schedule();
  }

  stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#running;
  }

  /** Reads every record written since the last pass and applies the changes (tests call it directly). */
  poll(): Promise<void> {
    const run = this.#running.then(() => this.#pass());
    this.#running = run.catch(() => {});
    return run;
  }

  /** Resumes where the feed (of any replica) stopped; the first start begins at the chain's end. */
  async #initCursor(): Promise<void> {
    const { db } = this.options;
    await db.query(
      'INSERT INTO gov_change_feed (id, seq) SELECT true, coalesce(max(seq), 0) FROM audit_log ON CONFLICT (id) DO NOTHING',
    );
    const { rows } = await db.query<{ seq: string | number }>('SELECT seq FROM gov_change_feed');
    this.#cursor = Number(rows[0]?.seq ?? 0);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.poll()
        .catch((error) => this.options.onError?.(error))
        .finally(() => this.#schedule());
    }, this.options.intervalMs ?? 500);
    this.#timer.unref();
  }

  async #pass(): Promise<void> {
    if (this.#cursor === null) await this.#initCursor();
    for (;;) {
      const { rows } = await this.options.db.query<FeedRow>(
        `SELECT seq, project_id, action, target_type, target_id, actor_user_id, actor_key_id, detail FROM audit_log
         WHERE seq > $1 AND (action = ANY($2) OR action LIKE 'governance.%' OR action LIKE 'risk%')
         ORDER BY seq LIMIT 500`,
        [this.#cursor, Object.keys(changeRules)],
      );
      for (const row of rows) {
        this.#cursor = Number(row.seq);
        if (!row.project_id) continue;
        const rule = changeRules[row.action];
        if (!rule) {
          this.options.touched(row.project_id);
          continue;
        }
        const detail = parseDetail(row.detail);
        const source = rule(row, detail);
        if (!source) continue;
        const version = versionKeys.map((key) => detail[key]).find((value) => typeof value === 'number') as
          | number
          | undefined;
        await this.options.apply({
          projectId: row.project_id,
          source,
          version: version ?? null,
          actor: row.actor_user_id ?? row.actor_key_id,
          cause: row.action,
          seq: Number(row.seq),
        });
      }
      if (rows.length)
        await this.options.db.query('UPDATE gov_change_feed SET seq = greatest(seq, $1)', [this.#cursor]);
      if (rows.length < 500) return;
    }
  }
}

function parseDetail(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}
