/**
 * Runs the draft through the Prompt Lab API with streaming (`POST /api/v1/prompt-runs`,
 * `stream: true`), which records the run in the history. Reports each step: the token budget on
 * `start`, text on each `delta`, the recorded run on `result`. A stream that breaks after it
 * started ends as `interrupted` with the partial text kept; an error from Keel ends as `failed`
 * with its message and code; Stop ends as `cancelled`.
 */
import type { PromptRun, RunRequest, TokenBudget } from '@keel/api/prompts';
import type { KeelClient } from '@keel/sdk';
import { describeError, isAbort, type ShownError } from '../../lib/errors';

export type RunStatus = 'running' | 'done' | 'failed' | 'interrupted' | 'cancelled';

export interface RunState {
  status: RunStatus;
  runId?: string;
  modelId: string;
  output: string;
  warnings: string[];
  error?: ShownError;
  finishReason?: string;
  tokens?: TokenBudget;
  inputTokens?: number;
  outputTokens?: number;
  /** USD; undefined when the model's price is unknown. */
  cost?: number;
  /** Milliseconds from sending to the first text (measured here). */
  firstTextMs?: number;
  /**
   * Milliseconds the run took. Measured here, on the same clock as `firstTextMs`, for a run made
   * in this page (the server's figure leaves out the network, so it can be shorter than the time to
   * the first text); the server's figure for a run restored from the history.
   */
  totalMs?: number;
  createdAt: string;
}

/** A recorded run, as the output panel shows it (history restores use this). */
export function stateOfRun(run: PromptRun): RunState {
  return {
    status: run.status === 'ok' ? 'done' : 'failed',
    runId: run.id,
    modelId: run.model,
    output: run.output,
    warnings: run.warnings.map((warning) => warning.message),
    ...(run.error ? { error: { ...run.error, status: 0 } } : {}),
    ...(run.finish_reason ? { finishReason: run.finish_reason } : {}),
    ...(run.tokens ? { tokens: run.tokens } : {}),
    inputTokens: run.usage.input_tokens,
    outputTokens: run.usage.output_tokens,
    ...(run.cost ? { cost: run.cost.total } : {}),
    totalMs: run.latency_ms,
    createdAt: run.created_at,
  };
}

export async function runPrompt(
  client: KeelClient,
  request: Omit<RunRequest, 'stream'>,
  signal: AbortSignal,
  onUpdate: (state: RunState) => void,
): Promise<RunState> {
  const startedAt = performance.now();
  let state: RunState = {
    status: 'running',
    modelId: request.model ?? request.template?.model_id ?? '',
    output: '',
    warnings: [],
    createdAt: new Date().toISOString(),
  };
  const update = (patch: Partial<RunState>) => {
    state = { ...state, ...patch };
    onUpdate(state);
  };
  update({});
  let attempt = 1;
  let finished = false;
  try {
    for await (const event of client.prompts.runStream(request, signal)) {
      if (event.type === 'start')
        update({
          runId: event.run_id,
          modelId: event.model,
          tokens: event.tokens,
          warnings: event.warnings.map((warning) => warning.message),
        });
      else if (event.type === 'delta') {
        // A retry against the output schema starts the answer over.
        const restart = event.attempt !== attempt;
        attempt = event.attempt;
        update({
          output: (restart ? '' : state.output) + event.text,
          ...(state.firstTextMs === undefined ? { firstTextMs: performance.now() - startedAt } : {}),
        });
      } else if (event.type === 'retry')
        update({ warnings: [...state.warnings, ...event.issues.map((issue) => issue.message)] });
      else if (event.type === 'result') {
        finished = true;
        const recorded = stateOfRun(event.run);
        update({
          ...recorded,
          status: recorded.status,
          totalMs: performance.now() - startedAt,
          ...(state.firstTextMs !== undefined ? { firstTextMs: state.firstTextMs } : {}),
        });
      }
    }
    // A body that ends before the result means the connection went away mid-answer.
    if (!finished) update({ status: 'interrupted', totalMs: performance.now() - startedAt });
  } catch (error) {
    const totalMs = performance.now() - startedAt;
    if (isAbort(error) || signal.aborted) update({ status: 'cancelled', totalMs });
    // The browser's own TypeError: the response body broke off (network, server gone).
    else if (error instanceof TypeError && state.runId)
      update({ status: 'interrupted', totalMs, error: describeError(error) });
    else update({ status: 'failed', totalMs, error: describeError(error) });
  }
  return state;
}
