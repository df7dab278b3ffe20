/**
 * Model downloads, followed live: starts pulls, picks up those already running (another tab, the
 * CLI), streams their progress over server-sent events, and reports when one finishes so the page
 * can reload what is present.
 */
import type { PullJobJson } from '@keel/api/models';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, isAbort, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

/** A pull still under way: waiting for a worker, or downloading. */
export function inProgress(job: PullJobJson): boolean {
  return job.status === 'queued' || job.status === 'running';
}

export function usePulls(enabled: boolean, onFinished: (job: PullJobJson) => void) {
  const { client } = useSession();
  const [jobs, setJobs] = useState<Record<string, PullJobJson>>({});
  const [error, setError] = useState<ShownError>();
  const following = useRef(new Map<string, AbortController>());
  const finished = useRef(onFinished);
  finished.current = onFinished;

  const follow = useCallback(
    (job: PullJobJson) => {
      setJobs((all) => ({ ...all, [job.id]: job }));
      if (!inProgress(job) || following.current.has(job.id)) return;
      const controller = new AbortController();
      following.current.set(job.id, controller);
      void (async () => {
        let last = job;
        try {
          for await (const update of client.models.pulls.follow(job.id, controller.signal)) {
            last = update;
            setJobs((all) => ({ ...all, [update.id]: update }));
          }
          // The event stream ends with the job's final state; ask once more if it did not say.
          if (inProgress(last)) last = await client.models.pulls.get(job.id);
          setJobs((all) => ({ ...all, [last.id]: last }));
          if (!inProgress(last)) finished.current(last);
        } catch (cause) {
          if (!isAbort(cause)) setError(describeError(cause));
        } finally {
          following.current.delete(job.id);
        }
      })();
    },
    [client],
  );

  useEffect(() => {
    if (!enabled) return;
    const controllers = following.current;
    client.models.pulls.list().then(
      (response) => {
        for (const job of response.pulls) follow(job);
      },
      (cause: unknown) => setError(describeError(cause)),
    );
    return () => {
      for (const controller of controllers.values()) controller.abort();
      controllers.clear();
    };
  }, [client, enabled, follow]);

  const start = useCallback(
    async (source: string, name?: string) => {
      setError(undefined);
      try {
        follow(await client.models.pulls.start({ source, ...(name ? { name } : {}) }));
      } catch (cause) {
        setError(describeError(cause));
      }
    },
    [client, follow],
  );

  const cancel = useCallback(
    async (id: string) => {
      try {
        const job = await client.models.pulls.cancel(id);
        setJobs((all) => ({ ...all, [job.id]: job }));
      } catch (cause) {
        setError(describeError(cause));
      }
    },
    [client],
  );

  return { jobs: Object.values(jobs), start, cancel, error };
}
