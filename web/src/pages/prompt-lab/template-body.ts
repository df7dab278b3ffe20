/**
 * Converts between the editor's draft and the Prompt Lab API's template body (what a version
 * freezes): the three modes, the bound model, the parameters and the carried-through extras.
 */
import type { PromptParameters, TemplateBody } from '@keel/api/prompts';
import { defaultParameters, type GenerationParameters, toPromptParameters } from './generation-parameters';
import { emptyDraft, type PromptDraft } from './prompt-draft';
import { findVariables, inputText } from './prompt-variables';

export function parametersFromPrompt(parameters: PromptParameters | undefined): GenerationParameters {
  const given = parameters ?? {};
  return {
    ...defaultParameters,
    ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)),
    random_seed: given.random_seed ?? null,
    time_limit: given.time_limit ?? null,
    truncate_input_tokens: given.truncate_input_tokens ?? null,
    stop_sequences: given.stop_sequences ?? [],
  };
}

/** The chat messages a draft sends: the conversation, then the next message when there is one. */
export function chatMessagesOf(draft: PromptDraft) {
  return [
    ...draft.chat.turns,
    ...(draft.chat.message.trim() ? [{ role: 'user' as const, content: draft.chat.message }] : []),
  ];
}

export function toTemplateBody(draft: PromptDraft): TemplateBody {
  const common = {
    ...(draft.modelId ? { model_id: draft.modelId } : {}),
    parameters: toPromptParameters(draft.parameters),
    ...(draft.extras.variables?.length ? { variables: draft.extras.variables } : {}),
    ...(draft.extras.output_schema ? { output_schema: draft.extras.output_schema } : {}),
    ...(draft.extras.guardrail_policy ? { guardrail_policy: draft.extras.guardrail_policy } : {}),
    ...(draft.extras.few_shot ? { few_shot: draft.extras.few_shot } : {}),
  };
  if (draft.mode === 'freeform') return { mode: 'freeform', text: draft.freeform, ...common };
  if (draft.mode === 'structured') {
    const { structured } = draft;
    return {
      mode: 'structured',
      instruction: structured.instruction,
      examples: structured.examples,
      input_prefix: structured.inputPrefix,
      output_prefix: structured.outputPrefix,
      test_input: structured.testInput,
      ...common,
    };
  }
  return {
    mode: 'chat',
    ...(draft.chat.system ? { system: draft.chat.system } : {}),
    messages: chatMessagesOf(draft),
    ...common,
  };
}

/** Every text of a body, for variable detection. */
export function bodyTexts(body: TemplateBody): string[] {
  if (body.mode === 'freeform') return [body.text];
  if (body.mode === 'structured')
    return [
      body.instruction ?? '',
      ...(body.examples ?? []).flatMap((example) => [example.input, example.output]),
      body.test_input ?? '',
    ];
  return [body.system ?? '', ...body.messages.map((message) => message.content)];
}

/** A draft holding a stored body (a version, a run's source, a sample), with values and overrides. */
export function draftFromBody(
  body: TemplateBody,
  options: {
    variables?: Record<string, unknown>;
    model?: string | null;
    parameters?: PromptParameters;
    origin?: PromptDraft['origin'];
  } = {},
): PromptDraft {
  const base = emptyDraft();
  const variables: Record<string, string> = {};
  for (const name of findVariables(bodyTexts(body))) {
    const value = options.variables?.[name];
    if (value !== undefined) variables[name] = inputText(value);
  }
  const draft: PromptDraft = {
    ...base,
    mode: body.mode,
    modelId: options.model ?? body.model_id ?? '',
    variables,
    parameters: parametersFromPrompt({ ...body.parameters, ...options.parameters }),
    extras: {
      ...(body.variables ? { variables: body.variables } : {}),
      ...(body.output_schema ? { output_schema: body.output_schema } : {}),
      ...(body.guardrail_policy ? { guardrail_policy: body.guardrail_policy } : {}),
      ...(body.few_shot ? { few_shot: body.few_shot } : {}),
    },
    origin: options.origin ?? null,
  };
  if (body.mode === 'freeform') return { ...draft, freeform: body.text };
  if (body.mode === 'structured')
    return {
      ...draft,
      structured: {
        instruction: body.instruction ?? '',
        examples: body.examples ?? [],
        inputPrefix: body.input_prefix ?? 'Input:',
        outputPrefix: body.output_prefix ?? 'Output:',
        testInput: body.test_input ?? '',
      },
    };
  const messages = [...body.messages];
  const last = messages[messages.length - 1];
  const message = last?.role === 'user' ? (messages.pop()?.content ?? '') : '';
  return { ...draft, chat: { system: body.system ?? '', turns: messages, message } };
}
