/**
 * @module data/rag-source-schedule
 * Scheduled syncs of data RAG sources, on the job service. A source's next sync is one
 * `data.rag_source.sync` job with `runAfter` at the source's `next_sync_at` and an idempotency key
 * naming the source and that time: enqueueing it twice (two replicas, a restart) finds the same
 * job, and the job service's lease lets one worker run it. The job first moves the source's next
 * sync on and enqueues that job, in one transaction recorded as the job's first step, so a retry
 * or a crash never schedules twice; then it syncs. A job whose time is no longer the source's next
 * sync (the schedule changed, the source is gone) does nothing. A failed sync is kept on the
 * source; a transient failure is retried with the job service's backoff, and the schedule goes on
 * either way. On start, every scheduled source's next job is enqueued again (idempotent), so a
 * schedule survives any gap.
 *
 * "Sync now" is the same job kind with a `manual` payload (no due time): while one is queued or
 * running for a source, asking again returns it, so a double click syncs once. A new source's first
 * sync is one too (`first`), enqueued in the transaction that stores the source.
 */
import { type Job, type JobService, terminalStatuses } from '../jobs/index.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';

export const RAG_SOURCE_SYNC_KIND = 'data.rag_source.sync';

export interface ScheduledSync {
  sourceId: string;
  /** ISO time the sync was due (the source's `next_sync_at` when it was enqueued). */
  due: string;
}

/** A sync asked for now (the console's "Sync now", `keel data sources sync`, or a new source's first). */
export interface RequestedSync {
  sourceId: string;
  manual: true;
  /** The source's first sync, enqueued when it was created. */
  first?: true;
}

export type RagSourceSyncPayload = ScheduledSync | RequestedSync;

/** Enqueues the sync of `sourceId` due at `due` (once per source and time, whoever asks). */
export function enqueueScheduledSync(
  jobs: JobService,
  projectId: string,
  sourceId: string,
  due: Date,
  tx?: DatabaseSession,
): Promise<unknown> {
  return jobs.enqueue<ScheduledSync>(
    {
      projectId,
      kind: RAG_SOURCE_SYNC_KIND,
      payload: { sourceId, due: due.toISOString() },
      idempotencyKey: `${sourceId}@${due.toISOString()}`,
      runAfter: due,
    },
    tx ? { tx } : {},
  );
}

/** Enqueues every scheduled source's next sync again (idempotent): run once the job service started. */
export async function resumeScheduledSyncs(db: DatabaseV1, jobs: JobService): Promise<number> {
  const { rows } = await db.query<{ id: string; project_id: string; next_sync_at: Date }>(
    'SELECT id, project_id, next_sync_at FROM data_rag_sources WHERE schedule IS NOT NULL AND next_sync_at IS NOT NULL',
  );
  for (const row of rows) await enqueueScheduledSync(jobs, row.project_id, row.id, row.next_sync_at);
  return rows.length;
}

/**
 * Requested syncs (`manual` payloads) queued or running, by source (a running one first): every
 * source of the project, or only `sourceId`.
 */
export async function requestedSyncsUnderway(
  jobs: JobService,
  projectId: string,
  sourceId?: string,
): Promise<Map<string, Job<RequestedSync>>> {
  const underway = new Map<string, Job<RequestedSync>>();
  for (const status of ['running', 'queued'] as const) {
    const found = await jobs.list({
      projectId,
      kind: RAG_SOURCE_SYNC_KIND,
      status,
      payloadContains: sourceId ? { sourceId, manual: true } : { manual: true },
      limit: sourceId ? 1 : 500,
    });
    for (const job of found as Job<RequestedSync>[]) {
      if (!underway.has(job.payload.sourceId)) underway.set(job.payload.sourceId, job);
    }
  }
  return underway;
}

/** The idempotency key of a requested sync: the source and its last attempt (or `never`). */
const requestedKey = (sourceId: string, after: string) => `${sourceId}@now@${after}`;

/**
 * Enqueues a new source's first sync in the transaction that stores it (call `jobs.notify()` after
 * the commit). Unlike "sync now", a worker that dies during it leaves it to be claimed again: the
 * sync is idempotent (documents are upserted by name; a row whose text did not change stays).
 */
export function enqueueFirstSync(
  jobs: JobService,
  source: { project_id: string; id: string },
  createdBy: string | null,
  tx: DatabaseSession,
): Promise<Job<RequestedSync>> {
  return jobs.enqueue<RequestedSync>(
    {
      projectId: source.project_id,
      kind: RAG_SOURCE_SYNC_KIND,
      payload: { sourceId: source.id, manual: true, first: true },
      // The key "sync now" would take for a source never synced: asked before it ran, it is this job.
      idempotencyKey: requestedKey(source.id, 'never'),
      createdBy,
    },
    { tx },
  );
}

/**
 * Enqueues a sync of the source now, or returns the one already queued or running. The idempotency
 * key names the source's last attempt, so two requests racing past the lookup still enqueue one
 * job; when that key's job has already ended (cancelled before it ran), the next key names it.
 */
export async function enqueueRequestedSync(
  jobs: JobService,
  source: { project_id: string; id: string; last_attempt_at: Date | null },
  createdBy: string | null,
): Promise<Job<RequestedSync>> {
  const active = (await requestedSyncsUnderway(jobs, source.project_id, source.id)).get(source.id);
  if (active) return active;
  let key = requestedKey(source.id, source.last_attempt_at?.toISOString() ?? 'never');
  for (;;) {
    const job = await jobs.enqueue<RequestedSync>({
      projectId: source.project_id,
      kind: RAG_SOURCE_SYNC_KIND,
      payload: { sourceId: source.id, manual: true },
      idempotencyKey: key,
      createdBy,
      // The kind's attempts: a sync left by a worker that died resumes elsewhere. A failure is
      // not retried (rag-source-sync-job.ts): the person who asked sees it at once.
    });
    if (!terminalStatuses.has(job.status)) return job;
    key = requestedKey(source.id, job.id);
  }
}
