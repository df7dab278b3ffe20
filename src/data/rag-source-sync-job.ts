/**
 * @module data/rag-source-sync-job
 * The `data.rag_source.sync` job: a scheduled one moves the source's schedule on (and enqueues the
 * next sync) in its first step, then syncs the source; a requested one ("sync now", or a new
 * source's first sync) syncs at once, as the person who asked, reporting each stage as progress. Enqueueing and resuming live in
 * rag-source-schedule.ts.
 */
import { KeelError } from '../core/errors.js';
import type { JobService } from '../jobs/index.js';
import { isRetryable } from '../jobs/index.js';
import {
  enqueueScheduledSync,
  RAG_SOURCE_SYNC_KIND,
  type RagSourceSyncPayload,
  type ScheduledSync,
} from './rag-source-schedule.js';
import { type RagSources, type RagSyncJson, ragSyncJson } from './rag-sources.js';
import { messageOf } from './sql-check.js';
import { nextSyncAt } from './sync-schedule.js';

interface ScheduledSyncResult {
  skipped: boolean;
  /** The sync's counts as the API shows them. */
  sync: RagSyncJson | null;
}

/**
 * Errors that another attempt cannot fix: the source or its table is gone, or it no longer checks.
 * A query that failed while running (an unreadable file: a local source's folder may come back)
 * is retried.
 */
/** Stages a sync reports as progress (rows read, documents added, removed rows' documents deleted). */
const SYNC_STAGES = 3;

const finalCodes = new Set(['not_found', 'invalid_request', 'forbidden', 'conflict', 'data_query_refused']);

/** Registers the scheduled-sync job kind. */
export function registerScheduledSyncs(jobs: JobService, sources: RagSources): void {
  jobs.register<RagSourceSyncPayload, ScheduledSyncResult>(RAG_SOURCE_SYNC_KIND, {
    maxAttempts: 3,
    // "Sync now": the person waits for it, so a failure is shown at once, not retried behind
    // their back; a worker that dies mid-sync still leaves it to resume, as the first sync does.
    retriesFailures: (payload) => 'due' in payload || payload.first === true,
    describe: (payload) =>
      'due' in payload
        ? { source: payload.sourceId, due: payload.due }
        : { source: payload.sourceId, trigger: payload.first ? 'create' : 'manual' },
    run: async (context) => {
      const { projectId } = context.job;
      if (!('due' in context.payload)) {
        const caller = { projectId, keyId: null, actor: context.job.createdBy, signal: context.signal };
        const { sourceId, first } = context.payload;
        const sync = await sources.sync(caller, sourceId, first ? 'create' : 'manual', (done, message) =>
          context.progress(done, SYNC_STAGES, message),
        );
        await context.progress(SYNC_STAGES, SYNC_STAGES, 'synced');
        return { skipped: false, sync: ragSyncJson(sync) };
      }
      const { sourceId, due } = context.payload as ScheduledSync;
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
        return { skipped: false, sync: ragSyncJson(await sources.sync(caller, sourceId, 'schedule')) };
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
