/**
 * @module models/middleware/guardrails
 * Guardrails in the model call: the prompt is checked against the input policy before the model
 * sees it (blocked, masked or pseudonymised), and the output — whole, or sentence by sentence as
 * it streams — against the output policy. The policy comes with the call
 * (`middlewareOptions.guardrails`, resolved at the edge from cached policies); a call without one
 * passes straight through. Decisions are recorded for the call's project and reported in
 * `middlewareMetadata.guardrails`.
 */

import type { GuardrailService, Pseudonymizer } from '../../guardrails/index.js';
import {
  createStreamGuard,
  type GuardrailOutcome,
  type GuardrailRequest,
  guardPrompt,
  INPUT_REJECTED,
  type StreamGuard,
} from '../../guardrails/index.js';
import type {
  CallContext,
  GenerateResult,
  LanguageModelCallOptions,
  StreamPart,
  StreamResult,
} from '../../spec/language-model.js';
import type { LanguageModelMiddleware } from './model-middleware.js';

interface InputGuard {
  request: GuardrailRequest;
  prompt: LanguageModelCallOptions['prompt'];
  blocked: boolean;
  pseudonymizer: Pseudonymizer;
  outcome: GuardrailOutcome;
}

/** The guardrail request a call carries, if any. */
export function guardrailRequestOf(options: { middlewareOptions?: Record<string, unknown> }) {
  return options.middlewareOptions?.guardrails as GuardrailRequest | undefined;
}

/** The outcome the middleware reported for a call, if it ran. */
export function guardrailOutcomeOf(result: { middlewareMetadata?: Record<string, unknown> }) {
  return result.middlewareMetadata?.guardrails as GuardrailOutcome | undefined;
}

export function guardrailsMiddleware(service: GuardrailService): LanguageModelMiddleware {
  async function guardInput(options: LanguageModelCallOptions): Promise<InputGuard | undefined> {
    const request = guardrailRequestOf(options);
    if (!request) return undefined;
    const checked = await guardPrompt(
      options.prompt,
      request.policy.input,
      service.secretKey,
      service.hasModelSpans(request.policy.input)
        ? (text, mode) => service.modelSpans(text, request.policy.input, mode, options.context?.projectId)
        : undefined,
    );
    const outcome: GuardrailOutcome = {
      policy: request.policyName,
      blocked: checked.blocked ? 'input' : null,
      input: checked.decisions,
      output: [],
      ...(request.overrides?.length ? { overrides: request.overrides } : {}),
    };
    record(options.context, request, checked.decisions);
    if (request.overrides?.length && options.context)
      service.recordOverrides(request.overrides, {
        projectId: options.context.projectId,
        keyId: options.context.keyId,
        source: options.context.endpoint,
        policy: request.policyName,
        ...(options.context.requestId ? { requestId: options.context.requestId } : {}),
      });
    return {
      request,
      prompt: checked.prompt,
      blocked: checked.blocked,
      pseudonymizer: checked.pseudonymizer,
      outcome,
    };
  }

  function record(
    context: CallContext | undefined,
    request: GuardrailRequest,
    decisions: GuardrailOutcome['output'],
  ): void {
    if (!context) return;
    service.record(decisions, {
      projectId: context.projectId,
      keyId: context.keyId,
      source: context.endpoint,
      policy: request.policyName,
      ...(context.requestId ? { requestId: context.requestId } : {}),
    });
  }

  function outputChecker(guard: InputGuard): StreamGuard {
    return createStreamGuard({
      policy: guard.request.policy.output,
      hashKey: service.secretKey,
      ...(guard.request.restore ? { restore: guard.pseudonymizer } : {}),
    });
  }

  /** Records the output decisions, seals the placeholder mapping; true when output was replaced. */
  async function finishOutput(checker: StreamGuard, guard: InputGuard, context: CallContext | undefined) {
    guard.outcome.output = checker.decisions;
    record(context, guard.request, checker.decisions);
    if (context && guard.pseudonymizer.size)
      guard.outcome.mappingId = await service.saveMapping(
        context.projectId,
        context.keyId,
        guard.pseudonymizer,
      );
    return checker.decisions.some((decision) => decision.action !== 'flag');
  }

  async function* guardStream(
    stream: AsyncIterable<StreamPart>,
    guard: InputGuard,
    context: CallContext | undefined,
  ): AsyncGenerator<StreamPart> {
    const checker = outputChecker(guard);
    for await (const part of stream) {
      if (part.type === 'text-delta') {
        const text = checker.push(part.text);
        if (text) yield { type: 'text-delta', text };
        continue;
      }
      if (part.type === 'finish' || part.type === 'error') {
        const rest = checker.flush();
        if (rest) yield { type: 'text-delta', text: rest };
        const replaced = await finishOutput(checker, guard, context);
        yield part.type === 'finish' && replaced ? { ...part, finishReason: 'content_filter' } : part;
        return;
      }
      yield part;
    }
  }

  return {
    name: 'guardrails',
    async wrapGenerate({ options, doGenerate }): Promise<GenerateResult> {
      const guard = await guardInput(options);
      if (!guard) return doGenerate();
      if (guard.blocked) return { ...blockedResult(), middlewareMetadata: { guardrails: guard.outcome } };
      const result = await doGenerate({ ...options, prompt: guard.prompt });
      const checker = outputChecker(guard);
      const text = checker.push(result.text) + checker.flush();
      const replaced = await finishOutput(checker, guard, options.context);
      return {
        ...result,
        text,
        ...(replaced ? { finishReason: 'content_filter' as const } : {}),
        middlewareMetadata: { ...result.middlewareMetadata, guardrails: guard.outcome },
      };
    },
    async wrapStream({ options, doStream }): Promise<StreamResult> {
      const guard = await guardInput(options);
      if (!guard) return doStream();
      if (guard.blocked) return { ...blockedStream(), middlewareMetadata: { guardrails: guard.outcome } };
      const result = await doStream({ ...options, prompt: guard.prompt });
      return {
        ...result,
        stream: guardStream(result.stream, guard, options.context),
        middlewareMetadata: { ...result.middlewareMetadata, guardrails: guard.outcome },
      };
    },
  };
}

function blockedResult(): GenerateResult {
  return {
    text: INPUT_REJECTED,
    finishReason: 'content_filter',
    usage: { inputTokens: 0, outputTokens: 0 },
    warnings: [],
  };
}

function blockedStream(): StreamResult {
  async function* parts(): AsyncGenerator<StreamPart> {
    yield { type: 'text-delta', text: INPUT_REJECTED };
    yield { type: 'finish', finishReason: 'content_filter', usage: { inputTokens: 0, outputTokens: 0 } };
  }
  return { warnings: [], stream: parts() };
}
