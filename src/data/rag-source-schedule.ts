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
 */
import { KeelError } from '../core/errors.js';
import type { JobService } from '../jobs/index.js';
import { isRetryable } from '../jobs/index.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';
import type { RagSourceSync, RagSources } from './rag-sources.js';
import { messageOf } from './sql-check.js';
import { nextSyncAt } from './sync-schedule.js';

export const RAG_SOURCE_SYNC_KIND = 'data.rag_source.sync';

interface ScheduledSync {
  sourceId: string;
  /** ISO time the sync was due (the source's `next_sync_at` when it was enqueued). */
  due: string;
}

interface ScheduledSyncResult {
  skipped: boolean;
  sync: RagSourceSync | null;
}

/**
 * Errors that another attempt cannot fix: the source or its table is gone, or it no longer checks.
 * A query that failed while running (an unreadable file: a local source's folder may come back)
 * is retried.
 */
const finalCodes = new Set([
  'not_found',
  'invalid_request',
  'forbidden',
  'conflict',
  'data_query_refused',
]);

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

/** Registers the scheduled-sync job kind. */
export function registerScheduledSyncs(jobs: JobService, sources: RagSources): void {
  jobs.register<ScheduledSync, ScheduledSyncResult>(RAG_SOURCE_SYNC_KIND, {
    maxAttempts: 3,
    describe: (payload) => ({ source: payload.sourceId, due: payload.due }),
    run: async (context) => {
      const { projectId } = context.job;
      const { sourceId, due } = context.payload;
      const advance = await context.step(
        'advance',
        async () => {
          const source = await sources.lookup(projectId, sourceId);
          if (!source?.schedule || source.next_sync_at?.toISOString() !== due) {
            return { run: false, next: null };
          }
          // Missed times (the service was down) are not made up: one sync now, then the next time.
          const after = new Date(Math.max(Date.now(), Date.parse(due)));
          return { run: true, next: nextSyncAt(source.schedule, after).toISOString() };
        },
        {
          commit: async (tx, value) => {
            if (!value.next) return;
            const moved = await tx.query(
              'UPDATE data_rag_sources SET next_sync_at = $3 WHERE id = $1 AND next_sync_at = $2 RETURNING id',
              [sourceId, new Date(due), new Date(value.next)],
            );
            if (moved.rows.length) {
              await enqueueScheduledSync(jobs, projectId, sourceId, new Date(value.next), tx);
            }
          },
        },
      );
      if (!advance.run) return { skipped: true, sync: null };
      const caller = { projectId, keyId: null, actor: null, signal: context.signal };
      try {
        return { skipped: false, sync: await sources.sync(caller, sourceId, 'schedule') };
      } catch (error) {
        if (context.signal.aborted || isRetryable(error)) throw error;
        if (error instanceof KeelError && finalCodes.has(error.code)) throw error;
        // Anything else (the database, a file, the collection's store) may pass on a later attempt.
        throw new KeelError('service_unavailable', `The scheduled sync failed: ${messageOf(error)}`, {
          cause: error,
          data: { retriable: true },
        });
      }
    },
  });
}

/** Enqueues every scheduled source's next sync again (idempotent): run once the job service started. */
export async function resumeScheduledSyncs(db: DatabaseV1, jobs: JobService): Promise<number> {
  const { rows } = await db.query<{ id: string; project_id: string; next_sync_at: Date }>(
    'SELECT id, project_id, next_sync_at FROM data_rag_sources WHERE schedule IS NOT NULL AND next_sync_at IS NOT NULL',
  );
  for (const row of rows) await enqueueScheduledSync(jobs, row.project_id, row.id, row.next_sync_at);
  return rows.length;
}
