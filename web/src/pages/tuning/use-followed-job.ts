/** A tuning job the page started, followed until it ends (its progress polled into state). */
import type { TuningJobJson as JobJson } from '@keel/sdk';
import { useEffect, useState } from 'react';
import { useSession } from '../../session/session-context';

const FINAL = ['succeeded', 'failed', 'cancelled'];

/** The job and its setter; `onEnd` runs once the followed job is final. */
export function useFollowedJob(onEnd?: () => void): [JobJson | null, (job: JobJson) => void] {
  const { client } = useSession();
  const [job, setJob] = useState<JobJson | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows one job by id; onEnd is the caller's.
  useEffect(() => {
    if (!job || FINAL.includes(job.status)) return;
    const controller = new AbortController();
    client.tuning
      .waitForJob(job.id, { intervalMs: 300, signal: controller.signal, onProgress: (next) => setJob(next) })
      .then(() => onEnd?.())
      .catch(() => {});
    return () => controller.abort();
  }, [client, job?.id]);
  return [job, setJob];
}
