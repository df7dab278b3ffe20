/**
 * @module prompts/prompt-runner
 * Runs a template through the generation service and records the run. One run: check the values,
 * render, count tokens against the context window, call the model (with the schema as a grammar,
 * as `response_format`, or validated afterwards with one retry), price it, record it. Streamed
 * runs emit the same steps as events. Failures after rendering are recorded too, and the error
 * carries the run's id.
 *
 * Under a guardrail policy the run is recorded as the policy let it through (run-protection): the
 * model is called without restoring placeholders, the output is stored with them, and a caller
 * whose role the policy lets restore gets the raw values back in the answer — from memory, or
 * later from the sealed copy (`reveal=true`).
 */
import type { PromptParameters, PromptRun, RunEvent, TemplateBody } from '../api/prompts.js';
import { type Issue, KeelError, toKeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type {
  CallContext,
  FinishReason,
  LanguageModelPrompt,
  LanguageModelUsage,
} from '../spec/language-model.js';
import { mergeParameters, toGenerationParameters } from './generation-parameters.js';
import { parseJsonOutput } from './json-output.js';
import { validateAgainst } from './json-schema.js';
import { costOf } from './price-book.js';
import { type Caller, modelOf, type PromptLab, type ResolvedSource } from './prompt-lab.js';
import { renderedPromptJson, renderSections } from './render-template.js';
import { answer, type Planned, protect, record, stored } from './run-record.js';
import {
  responseFormatFor,
  retryPrompt,
  structuredStrategy,
  withSchemaInstruction,
} from './structured-output.js';
import { checkBudget, countPromptTokens } from './token-budget.js';
import { resolveValues } from './variables.js';

export interface RunInput {
  source: ResolvedSource;
  variables?: Record<string, unknown> | undefined;
  model?: string | undefined;
  parameters?: PromptParameters | undefined;
  sessionId?: string | null | undefined;
}

/** Who the model calls are for; with the request's id, its guardrail decisions are recorded under it. */
function callContext(caller: Caller & { endpoint: string; requestId?: string | undefined }): CallContext {
  return {
    projectId: caller.projectId,
    keyId: caller.keyId,
    endpoint: caller.endpoint,
    ...(caller.requestId ? { requestId: caller.requestId } : {}),
  };
}

/** Runs `input` to completion and records it. */
export async function runPrompt(
  lab: PromptLab,
  caller: Caller & { endpoint: string; requestId?: string | undefined },
  input: RunInput,
): Promise<PromptRun> {
  const planned = await plan(lab, caller, input);
  const { run, call } = planned;
  const context = callContext(caller);
  let text = '';
  const usage = { inputTokens: 0, outputTokens: 0 };
  try {
    let outcome = await lab.generation.generate(call, context);
    addUsage(usage, outcome.usage);
    run.warnings.push(...outcome.warnings);
    text = stored(planned, outcome.text);
    let check = checkOutput(planned.schema, text);
    if (check?.issues.length && planned.strategy === 'validated') {
      run.attempts = 2;
      outcome = await lab.generation.generate(
        { ...call, prompt: retryPrompt(call.prompt, text, check.issues) },
        context,
      );
      addUsage(usage, outcome.usage);
      text = stored(planned, outcome.text);
      check = checkOutput(planned.schema, text);
    }
    finish(lab, planned, text, usage, outcome.finishReason, check);
  } catch (error) {
    throw await fail(lab, caller, planned, text, usage, error);
  }
  await record(lab, caller, planned);
  return answer(planned);
}

/**
 * Starts a streamed run. Problems found before the model produces anything throw (so HTTP can
 * answer with a status); later ones arrive as an `error` event. Closing the iterator cancels the
 * generation and records the run as cancelled.
 */
export async function streamPrompt(
  lab: PromptLab,
  caller: Caller & { endpoint: string; requestId?: string | undefined },
  input: RunInput,
): Promise<{ runId: string; events: AsyncGenerator<RunEvent> }> {
  const planned = await plan(lab, caller, input);
  const { run, call } = planned;
  const context = callContext(caller);
  const usage = { inputTokens: 0, outputTokens: 0 };
  let first: Awaited<ReturnType<typeof lab.generation.stream>>;
  try {
    first = await lab.generation.stream(call, context);
  } catch (error) {
    throw await fail(lab, caller, planned, '', usage, error);
  }
  run.warnings.push(...first.warnings);

  async function* events(): AsyncGenerator<RunEvent> {
    yield {
      type: 'start',
      run_id: run.id,
      model: run.model,
      tokens: run.tokens!,
      warnings: [...run.warnings],
    };
    let text = '';
    let done = false;
    try {
      let stream = first.stream;
      let finishReason: FinishReason = 'eos_token';
      for (let attempt = 1; ; attempt++) {
        text = '';
        // Placeholders go back to their values only for a role that may see them.
        const restorer = planned.reveal ? planned.protection?.pseudonymizer.streamRestorer() : undefined;
        for await (const part of stream) {
          if (part.type === 'text-delta') {
            text += part.text;
            const shown = restorer ? restorer.push(part.text) : part.text;
            if (shown) yield { type: 'delta', text: shown, attempt };
          } else if (part.type === 'finish') {
            addUsage(usage, part.usage);
            finishReason = part.finishReason;
          } else if (part.type === 'error') {
            throw part.error;
          }
        }
        const rest = restorer?.flush();
        if (rest) yield { type: 'delta', text: rest, attempt };
        text = stored(planned, text);
        const check = checkOutput(planned.schema, text);
        if (attempt === 1 && check?.issues.length && planned.strategy === 'validated') {
          yield { type: 'retry', issues: check.issues };
          run.attempts = 2;
          const retry = await lab.generation.stream(
            { ...call, prompt: retryPrompt(call.prompt, text, check.issues) },
            context,
          );
          stream = retry.stream;
          continue;
        }
        finish(lab, planned, text, usage, finishReason, check);
        break;
      }
      await record(lab, caller, planned);
      done = true;
      yield { type: 'result', run: answer(planned) };
    } catch (error) {
      const failure = await fail(lab, caller, planned, text, usage, error);
      done = true;
      yield {
        type: 'error',
        error: { code: failure.code, message: failure.message, status: failure.status, run_id: run.id },
      };
    } finally {
      if (!done) {
        // The client went away mid-stream: keep what was produced, as a cancelled run. Nobody is
        // left to tell if even that write fails (the server may be shutting down).
        await fail(
          lab,
          caller,
          planned,
          text,
          usage,
          new KeelError('client_closed', 'The client closed the stream.'),
        ).catch(() => undefined);
      }
    }
  }
  return { runId: run.id, events: events() };
}

/** Checks values, renders, and decides the call; records (and rethrows) failures found after rendering. */
async function plan(lab: PromptLab, caller: Caller, input: RunInput): Promise<Planned> {
  const { compiled, template } = input.source;
  const body = compiled.body;
  const values = resolveValues(compiled.variables, input.variables);
  const rendered = renderSections(compiled.sections, values.texts);
  const modelId = modelOf(input.model, body);
  const promptParameters = mergeParameters(body.parameters, input.parameters);
  const { parameters, warnings } = toGenerationParameters(promptParameters);
  const startedAt = performance.now();
  const run: PromptRun = {
    id: newId('prun'),
    session_id: input.sessionId ?? null,
    template,
    source: body,
    model: modelId,
    prompt: renderedPromptJson(rendered),
    variables: values.values,
    parameters: promptParameters,
    status: 'ok',
    output: '',
    attempts: 1,
    structured_output: 'none',
    finish_reason: null,
    usage: { input_tokens: 0, output_tokens: 0 },
    cost: null,
    latency_ms: 0,
    tokens: null,
    warnings: [...warnings],
    error: null,
    created_at: new Date().toISOString(),
    created_by: caller.actor,
  };
  const planned: Planned = {
    run,
    call: { model: modelId, prompt: rendered },
    strategy: 'none',
    schema: body.output_schema,
    startedAt,
    raw: { prompt: rendered, variables: values.values },
    reveal: false,
  };
  try {
    // The template's policy, else the project's default; a policy it names that is gone is an
    // error. Resolved first, so that whatever fails later is recorded masked.
    const guard = await lab.guardrails?.resolve(caller.projectId, { templatePolicy: body.guardrail_policy });
    planned.policy = guard ?? null;
    planned.reveal = caller.role !== undefined && !!guard?.body.restoreRoles.includes(caller.role as never);
    const model = lab.generation.languageModel(modelId);
    planned.strategy = structuredStrategy(model, body.output_schema);
    run.structured_output = planned.strategy;
    const prompt: LanguageModelPrompt =
      planned.strategy === 'validated' ? withSchemaInstruction(rendered, body.output_schema!) : rendered;
    planned.raw.prompt = prompt;
    run.prompt = renderedPromptJson(prompt);
    await protect(lab, caller, planned);
    const count = await countPromptTokens(lab.generation, model, modelId, prompt, caller.signal);
    run.tokens = checkBudget({
      count,
      maxNewTokens: parameters.maxNewTokens!,
      contextLength: await model.contextLength(),
      truncateInputTokens: parameters.truncateInputTokens,
      modelId,
    });
    const responseFormat = responseFormatFor(planned.strategy, body.output_schema, template?.name);
    planned.call = {
      model: modelId,
      prompt,
      parameters,
      ...(responseFormat ? { responseFormat } : {}),
      ...(caller.signal ? { abortSignal: caller.signal } : {}),
      ...(guard
        ? {
            guardrails: {
              policyName: guard.name,
              policy: guard.body,
              // The output is recorded with its placeholders; `answer` restores them for the caller.
              restore: false,
            },
          }
        : {}),
    };
  } catch (error) {
    throw await fail(lab, caller, planned, '', { inputTokens: 0, outputTokens: 0 }, error);
  }
  return planned;
}

function addUsage(total: LanguageModelUsage, usage: LanguageModelUsage): void {
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
}

/** Parses and validates the output against the schema; undefined when there is no schema. */
function checkOutput(
  schema: TemplateBody['output_schema'],
  text: string,
): { value?: unknown; issues: Issue[] } | undefined {
  if (!schema) return undefined;
  const parsed = parseJsonOutput(text);
  if (!parsed.ok) return { issues: parsed.issues };
  return { value: parsed.value, issues: validateAgainst(schema, parsed.value) };
}

function finish(
  lab: PromptLab,
  planned: Planned,
  text: string,
  usage: LanguageModelUsage,
  finishReason: FinishReason,
  check: { value?: unknown; issues: Issue[] } | undefined,
): void {
  const { run } = planned;
  run.output = text;
  run.finish_reason = finishReason;
  run.usage = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens };
  run.cost = costOf(lab.prices(run.model), usage);
  run.latency_ms = performance.now() - planned.startedAt;
  if (check) {
    if ('value' in check) run.json = check.value;
    run.issues = check.issues;
    if (check.issues.length) {
      run.warnings.push({
        type: 'other',
        setting: 'output_schema',
        message: `The output does not match the template's JSON schema (${check.issues.length} issue${check.issues.length > 1 ? 's' : ''}).`,
      });
    }
  }
}

/** Records a failed run and returns the error to throw, carrying the run's id. */
async function fail(
  lab: PromptLab,
  caller: Caller,
  planned: Planned,
  partialText: string,
  usage: LanguageModelUsage,
  error: unknown,
): Promise<KeelError> {
  const keelError = toKeelError(error);
  const { run } = planned;
  await protect(lab, caller, planned);
  run.status = 'error';
  run.output = stored(planned, partialText);
  run.usage = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens };
  run.cost = costOf(lab.prices(run.model), usage);
  run.latency_ms = performance.now() - planned.startedAt;
  run.error = { code: keelError.code, message: keelError.message };
  await record(lab, caller, planned);
  return new KeelError(keelError.code, keelError.message, {
    cause: keelError.cause ?? keelError,
    ...(keelError.issues ? { issues: keelError.issues } : {}),
    data: { ...keelError.data, runId: run.id },
  });
}
