/**
 * @module server/routes/watsonx/prompt-dialect
 * watsonx prompt assets ↔ Keel template bodies. watsonx keeps a prompt as `prompt.data`
 * (instruction, prefixes, examples as `[input, output]` pairs), `prompt.input` (`[[text, ""]]`,
 * the test input), `system_prompt` and `chat_items`, with `{name}` variables declared in
 * `prompt_variables` (name → default). Keel's body has a mode: `structured`, `freeform` or `chat`,
 * and `{{name}}` variables. Declared variables are translated both ways; other braces stay text.
 */
import type { PromptParameters, TemplateBody } from '../../../api/prompts.js';

export interface WatsonxPrompt {
  input?: string[][] | undefined;
  model_id?: string | undefined;
  model_parameters?: Record<string, unknown> | undefined;
  data?:
    | {
        instruction?: string | undefined;
        input_prefix?: string | undefined;
        output_prefix?: string | undefined;
        examples?: string[][] | undefined;
      }
    | undefined;
  system_prompt?: string | undefined;
  chat_items?: ChatItem[] | undefined;
  external_information?: unknown;
}

export interface ChatItem {
  type?: string | undefined;
  content?: string | undefined;
  status?: string | undefined;
  timestamp?: number | undefined;
}

export type InputMode = 'structured' | 'freeform' | 'chat';

const parameterKeys = [
  'decoding_method',
  'temperature',
  'top_k',
  'top_p',
  'max_new_tokens',
  'min_new_tokens',
  'random_seed',
  'stop_sequences',
  'include_stop_sequence',
  'repetition_penalty',
  'time_limit',
  'truncate_input_tokens',
] as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `{name}` → `{{name}}` for the declared names. */
export function toKeelText(text: string | undefined, names: readonly string[]): string | undefined {
  if (text === undefined || names.length === 0) return text;
  const pattern = new RegExp(`(?<!\\{)\\{(${names.map(escapeRegExp).join('|')})\\}(?!\\})`, 'gu');
  return text.replace(pattern, '{{$1}}');
}

/** `{{name}}` (with optional spaces) → `{name}`. */
export function toWatsonxText(text: string | undefined): string | undefined {
  return text?.replace(/\{\{\s*([\p{L}_][\p{L}\p{N}_]*)\s*\}\}/gu, '{$1}');
}

function parametersOf(raw: Record<string, unknown> | undefined): PromptParameters | undefined {
  if (!raw) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of parameterKeys) if (raw[key] !== undefined) out[key] = raw[key];
  return Object.keys(out).length ? (out as PromptParameters) : undefined;
}

/** A Keel template body from a watsonx prompt. */
export function bodyFromWatsonx(
  prompt: WatsonxPrompt,
  inputMode: InputMode,
  promptVariables: Record<string, unknown> | undefined,
): TemplateBody {
  const names = Object.keys(promptVariables ?? {});
  const k = (text: string | undefined) => toKeelText(text, names);
  const common = {
    ...(names.length
      ? {
          variables: names.map((name) => ({
            name,
            ...(promptVariables![name] !== undefined && promptVariables![name] !== ''
              ? { default: String(promptVariables![name]) }
              : {}),
          })),
        }
      : {}),
    ...(prompt.model_id ? { model_id: prompt.model_id } : {}),
    ...(parametersOf(prompt.model_parameters) ? { parameters: parametersOf(prompt.model_parameters)! } : {}),
  };
  const testInput = prompt.input?.[0]?.[0];
  if (inputMode === 'freeform') {
    return { mode: 'freeform', text: k(testInput ?? prompt.data?.instruction ?? '')!, ...common };
  }
  if (inputMode === 'chat') {
    const messages = (prompt.chat_items ?? [])
      .filter((item) => item.content !== undefined)
      .map((item) => ({
        role: item.type === 'answer' ? ('assistant' as const) : ('user' as const),
        content: k(item.content!)!,
      }));
    return {
      mode: 'chat',
      ...(prompt.system_prompt !== undefined ? { system: k(prompt.system_prompt)! } : {}),
      messages: messages.length ? messages : [{ role: 'user', content: k(prompt.data?.instruction ?? '')! }],
      ...common,
    };
  }
  const data = prompt.data ?? {};
  return {
    mode: 'structured',
    ...(data.instruction !== undefined ? { instruction: k(data.instruction)! } : {}),
    ...(data.examples?.length
      ? {
          examples: data.examples.map(([input = '', output = '']) => ({
            input: k(input)!,
            output: k(output)!,
          })),
        }
      : {}),
    ...(data.input_prefix !== undefined ? { input_prefix: data.input_prefix } : {}),
    ...(data.output_prefix !== undefined ? { output_prefix: data.output_prefix } : {}),
    ...(testInput !== undefined ? { test_input: k(testInput)! } : {}),
    ...common,
  };
}

/**
 * What a Keel template holds that a watsonx prompt asset cannot say: its output schema, guardrail
 * policy and few-shot pool. An update through the watsonx API keeps them from the version it
 * replaces, as a watsonx client never sent them and cannot mean to drop them.
 */
export function keelOnlyFields(
  body: TemplateBody,
): Pick<TemplateBody, 'output_schema' | 'guardrail_policy' | 'few_shot'> {
  return {
    ...(body.output_schema !== undefined ? { output_schema: body.output_schema } : {}),
    ...(body.guardrail_policy !== undefined ? { guardrail_policy: body.guardrail_policy } : {}),
    ...(body.few_shot !== undefined ? { few_shot: body.few_shot } : {}),
  };
}

/** A watsonx prompt (and its input mode and variables) from a Keel template body. */
export function watsonxFromBody(
  body: TemplateBody,
  chatItems: ChatItem[] = [],
): { prompt: WatsonxPrompt; input_mode: InputMode; prompt_variables: Record<string, string> } {
  const w = (text: string | undefined) => toWatsonxText(text) ?? '';
  const prompt_variables = Object.fromEntries(
    (body.variables ?? []).map((variable) => [
      variable.name,
      variable.default === undefined ? '' : String(variable.default),
    ]),
  );
  const base = {
    model_id: body.model_id ?? '',
    ...(body.parameters ? { model_parameters: { ...body.parameters } } : {}),
  };
  if (body.mode === 'freeform') {
    return {
      prompt: { ...base, input: [[w(body.text), '']], data: {}, chat_items: chatItems },
      input_mode: 'freeform',
      prompt_variables,
    };
  }
  if (body.mode === 'chat') {
    const items: ChatItem[] = body.messages.map((message) => ({
      type: message.role === 'assistant' ? 'answer' : 'question',
      content: w(message.content),
      status: 'ready',
    }));
    return {
      prompt: {
        ...base,
        data: {},
        ...(body.system !== undefined ? { system_prompt: w(body.system) } : {}),
        chat_items: [...items, ...chatItems],
      },
      input_mode: 'chat',
      prompt_variables,
    };
  }
  return {
    prompt: {
      ...base,
      data: {
        ...(body.instruction !== undefined ? { instruction: w(body.instruction) } : {}),
        ...(body.input_prefix !== undefined ? { input_prefix: body.input_prefix } : {}),
        ...(body.output_prefix !== undefined ? { output_prefix: body.output_prefix } : {}),
        ...(body.examples?.length
          ? { examples: body.examples.map((example) => [w(example.input), w(example.output)]) }
          : {}),
      },
      ...(body.test_input !== undefined ? { input: [[w(body.test_input), '']] } : {}),
      chat_items: chatItems,
    },
    input_mode: 'structured',
    prompt_variables,
  };
}

/** A Keel template name for a watsonx display name: a slug, made unique with an id suffix. */
export function keelNameFor(displayName: string, suffix: string): string {
  const slug = displayName
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 60);
  return `${slug || 'prompt'}-${suffix.slice(-8).toLowerCase()}`;
}
