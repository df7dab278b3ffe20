/**
 * Loads data for a page through the SDK and tracks it as loading / failed / loaded. Re-runs when
 * `deps` change (the project, a filter); `reload()` runs it again.
 */
import { type DependencyList, useCallback, useEffect, useState } from 'react';
import { describeError, type ShownError } from './errors';

export type Loaded<T> =
  | { status: 'loading'; value?: T }
  | { status: 'failed'; error: ShownError; cause: unknown }
  | { status: 'loaded'; value: T };

export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): Loaded<T> & { reload(): void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` are the caller's, `attempt` reloads.
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({
      status: 'loading',
      ...(previous.status === 'loaded' ? { value: previous.value } : {}),
    }));
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setState({ status: 'loaded', value });
      },
      (cause: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'failed', error: describeError(cause), cause });
      },
    );
    return () => controller.abort();
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((value) => value + 1), []);
  return { ...state, reload };
}
