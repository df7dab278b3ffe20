/** One streamed run at a time for the editor: start, stop, show a recorded run, and the live state. */
import type { RunRequest } from '@keel/api/prompts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../../session/session-context';
import { type RunState, runPrompt } from './run-prompt';

export function usePromptRun(onFinished?: (state: RunState) => void) {
  const { client } = useSession();
  const [run, setRun] = useState<RunState>();
  const controller = useRef<AbortController>(undefined);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(
    async (request: Omit<RunRequest, 'stream'>) => {
      controller.current?.abort();
      const own = new AbortController();
      controller.current = own;
      const final = await runPrompt(client, request, own.signal, (state) => {
        if (controller.current === own) setRun(state);
      });
      if (controller.current === own) {
        controller.current = undefined;
        finished.current?.(final);
      }
      return final;
    },
    [client],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  /** Shows a recorded run (from the history) in place of the current one. */
  const show = useCallback((state: RunState | undefined) => {
    controller.current?.abort();
    controller.current = undefined;
    setRun(state);
  }, []);

  return { run, start, stop, show };
}
