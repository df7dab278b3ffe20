/**
 * Following a RAG source's sync job on the Data page: the job of "Sync now", of a new source's
 * first sync, or one found queued or running when the sources are read (`running_job`, after a
 * reload). Each job's states are kept for the source's progress bar until it ends; a job is
 * followed once.
 */
import type { DataRagSourceJson, TuningJobJson as JobJson } from '@keel/sdk';
import { useCallback, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import type { ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

/** A failed or cancelled sync job, as thrown to the panel's error notice. */
export class SyncFailed extends Error {
  constructor(readonly shown: ShownError) {
    super(shown.message);
  }
}

/** A finished sync's counts (the job's `result.sync`). */
export interface SyncCounts {
  rows: number;
  queued: number;
}

export function useSyncJob() {
  const { t } = useI18n();
  const { client } = useSession();
  // The sync job being followed, by source.
  const [syncing, setSyncing] = useState<{ source: string; job: JobJson } | null>(null);
  const followed = useRef(new Set<string>());

  /** Follows a sync job (or the job of that id) to its end; a failed or cancelled one throws. */
  const follow = useCallback(
    async (source: string, queued: JobJson | string): Promise<SyncCounts> => {
      const id = typeof queued === 'string' ? queued : queued.id;
      followed.current.add(id);
      if (typeof queued !== 'string') setSyncing({ source, job: queued });
      const job = await client.data.waitForSync(id, (state) => setSyncing({ source, job: state }));
      if (job.status !== 'succeeded') {
        throw new SyncFailed({
          code: job.error?.code ?? job.status,
          message: job.error?.message ?? t('data.ragSyncCancelled'),
          status: 0,
        });
      }
      return (job.result as { sync: SyncCounts }).sync;
    },
    [client, t],
  );

  /** A source whose requested sync is queued or running and not followed here yet (after a reload). */
  const unfollowed = useCallback(
    (sources: DataRagSourceJson[] | undefined) =>
      sources?.find((source) => source.running_job && !followed.current.has(source.running_job)),
    [],
  );

  const stop = useCallback(() => setSyncing(null), []);
  return { syncing, follow, unfollowed, stop };
}
