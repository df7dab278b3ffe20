/**
 * @module governance/lifecycle/change-feed
 * Follows the audit chain for changes to governed assets. Every module already records its
 * changes there (`template.version.create`, `collection.config.update`, `policy.update` …), so
 * governance learns of a new template version, another model or a new policy without any module
 * knowing about governance (decision 0021). A change to a tracked asset bumps its revision, drops
 * its approval and sends it back to validate when it had passed; governance records of other
 * replicas drop this replica's gate cache.
 *
 * Idle, the feed polls less and less often: each pass that finds nothing doubles the pause, from
 * `intervalMs` (500 ms) up to `idleIntervalMs` (5 s). A pass that finds records, a `nudge()`, or a
 * `keel_audit` notification (migration 0023: every append to the chain sends one, on PostgreSQL to
 * every replica) brings the pause back to `intervalMs`.
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

/**
 * The audit actions that change a governed asset, and which asset each names. Only actions some
 * module records belong here: a deployment's new version (another asset, model, parameters or
 * policy) is `deployment.version.create`; a Keel model id has no change record of its own (an
 * external model's changes are written to its history where they are made).
 */
export const changeRules: Record<string, Rule> = {
  'template.version.create': byTarget('template'),
  'collection.config.update': byTarget('collection'),
  'policy.update': byName('policy'),
  'deployment.update': byTarget('deployment'),
  'deployment.version.create': byTarget('deployment'),
  'dataset.version.create': byTarget('dataset'),
};

const versionKeys = ['version', 'configVersion'];

/** The channel appends to audit_log notify (migration 0023). */
export const AUDIT_CHANNEL = 'keel_audit';

export interface ChangeFeedOptions {
  db: DatabaseV1;
  apply: (change: AssetChange) => Promise<void>;
  /** A governance (or risk) record from anywhere: drop the project's cached gate answers. */
  touched: (projectId: string) => void;
  /** Pause between passes while records keep coming, milliseconds (default 500). */
  intervalMs?: number | undefined;
  /** Longest pause while idle: each empty pass doubles the pause up to this (default 5000). */
  idleIntervalMs?: number | undefined;
  onError?: (error: unknown) => void;
}

export class ChangeFeed {
  #cursor: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** When the scheduled pass runs (epoch ms). */
  #dueAt = 0;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;
  /** The pause before the next pass: `intervalMs` when busy, growing to `idleIntervalMs` when idle. */
  #delay: number;
  /** Whether the last pass read records, or a nudge came while it ran. */
  #active = false;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(readonly options: ChangeFeedOptions) {
    this.#delay = this.#busyInterval;
  }

  get #busyInterval(): number {
    return this.options.intervalMs ?? 500;
  }

  get #idleInterval(): number {
    return Math.max(this.#busyInterval, this.options.idleIntervalMs ?? 5000);
  }

  /** The pause the feed waits now before its next pass (tests read it). */
  get currentIntervalMs(): number {
    return this.#delay;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    if (this.#cursor === null) await this.#initCursor();
    await this.#listen();
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.().catch(() => {});
    return this.#running;
  }

  /**
   * Something was recorded: the pause goes back to `intervalMs`, and a pass due later than that
   * is brought forward. Bursts of nudges make one pass per interval, not one each.
   */
  nudge(): void {
    this.#active = true;
    this.#delay = this.#busyInterval;
    if (this.#stopped || !this.#timer) return; // not started, or a pass is running: it reschedules
    if (this.#dueAt - Date.now() <= this.#busyInterval) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#schedule();
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

  /** Where the database delivers notifications, an append to the chain nudges the feed. */
  async #listen(): Promise<void> {
    const { db } = this.options;
    if (this.#unlisten || typeof db.listen !== 'function') return;
    try {
      this.#unlisten = await db.listen(AUDIT_CHANNEL, () => this.nudge());
    } catch (error) {
      // Without notifications the feed still polls, at most `idleIntervalMs` apart.
      this.options.onError?.(error);
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#dueAt = Date.now() + this.#delay;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#active = false;
      this.poll()
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.#delay = this.#active ? this.#busyInterval : Math.min(this.#delay * 2, this.#idleInterval);
          this.#schedule();
        });
    }, this.#delay);
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
      if (rows.length) this.#active = true;
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
