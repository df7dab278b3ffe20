/**
 * The token budget of the draft before it runs: `POST /api/v1/prompts/render` counts the rendered
 * prompt with the model's own tokenizer (or estimates it, and says so) and reports the context
 * window, half a second after the last edit. Missing variable values count as empty text.
 */
import type { RenderRequest, TokenBudget } from '@keel/api/prompts';
import { useEffect, useState } from 'react';
import { describeError, isAbort, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

export type TokenCount =
  | { status: 'idle' }
  | { status: 'counting'; previous?: TokenBudget }
  | { status: 'counted'; budget: TokenBudget }
  | { status: 'unavailable'; error: ShownError };

export function useTokenCount(request: RenderRequest | undefined): TokenCount {
  const { client } = useSession();
  const [count, setCount] = useState<TokenCount>({ status: 'idle' });
  const key = request ? JSON.stringify(request) : '';
  useEffect(() => {
    if (!key) {
      setCount({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setCount((previous) => ({
      status: 'counting',
      ...(previous.status === 'counted' ? { previous: previous.budget } : {}),
      ...(previous.status === 'counting' && previous.previous ? { previous: previous.previous } : {}),
    }));
    const timer = window.setTimeout(() => {
      client.prompts.render(JSON.parse(key) as RenderRequest, controller.signal).then(
        (response) => setCount({ status: 'counted', budget: response.tokens }),
        (error: unknown) => {
          if (!isAbort(error) && !controller.signal.aborted)
            setCount({ status: 'unavailable', error: describeError(error) });
        },
      );
    }, 500);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [client, key]);
  return count;
}
