/**
 * @module prompts/compile-template
 * Parses a template body once into placeholders per section and its effective variables, and
 * reports what is wrong with it (malformed placeholders, duplicate or mistyped declarations) as
 * issues with paths. Versions are immutable, so a compiled version is cached and reused by runs.
 */
import type { FewShotPool, TemplateBody } from '../api/prompts.js';
import type { Issue } from '../core/errors.js';
import type { CallWarning } from '../spec/warnings.js';
import { fewShotIssues } from './few-shot-pool.js';
import { type ParsedText, parsePlaceholders } from './placeholders.js';
import { type EffectiveVariable, effectiveVariables, typeProblem } from './variables.js';

export type CompiledSections = (
  | { mode: 'freeform'; text: ParsedText }
  | {
      mode: 'structured';
      instruction: ParsedText | undefined;
      examples: { input: ParsedText; output: ParsedText }[];
      inputPrefix: string;
      outputPrefix: string;
      testInput: ParsedText | undefined;
    }
  | {
      mode: 'chat';
      system: ParsedText | undefined;
      messages: { role: 'user' | 'assistant'; content: ParsedText }[];
    }
) & {
  /** A pool to pick examples from per input at render time (the body's `few_shot`). */
  fewShot?: FewShotPool | undefined;
};

export interface CompiledTemplate {
  body: TemplateBody;
  sections: CompiledSections;
  variables: EffectiveVariable[];
  /** Problems that make the template unusable; a save with any of them is refused. */
  issues: Issue[];
  /** Problems worth knowing about that do not stop a save. */
  warnings: CallWarning[];
}

export const DEFAULT_INPUT_PREFIX = 'Input:';
export const DEFAULT_OUTPUT_PREFIX = 'Output:';

export function compileTemplate(body: TemplateBody): CompiledTemplate {
  const issues: Issue[] = [];
  const used: string[] = [];
  const parse = (text: string | undefined, path: (string | number)[]): ParsedText | undefined => {
    if (text === undefined) return undefined;
    const parsed = parsePlaceholders(text, ['template', ...path], issues);
    for (const name of parsed.names) if (!used.includes(name)) used.push(name);
    return parsed;
  };
  let sections: CompiledSections;
  if (body.mode === 'freeform') {
    if (!body.text.trim())
      issues.push({ code: 'too_small', path: ['template', 'text'], message: 'the prompt text is empty' });
    sections = { mode: 'freeform', text: parse(body.text, ['text'])! };
  } else if (body.mode === 'structured') {
    if (!body.instruction?.trim() && !body.test_input?.trim() && !body.examples?.length) {
      issues.push({
        code: 'too_small',
        path: ['template'],
        message: 'give an instruction, examples or a test input',
      });
    }
    sections = {
      mode: 'structured',
      instruction: parse(body.instruction, ['instruction']),
      examples: (body.examples ?? []).map((example, index) => ({
        input: parse(example.input, ['examples', index, 'input'])!,
        output: parse(example.output, ['examples', index, 'output'])!,
      })),
      inputPrefix: body.input_prefix ?? DEFAULT_INPUT_PREFIX,
      outputPrefix: body.output_prefix ?? DEFAULT_OUTPUT_PREFIX,
      testInput: parse(body.test_input, ['test_input']),
    };
  } else {
    if (!body.messages.some((message) => message.role === 'user')) {
      issues.push({
        code: 'too_small',
        path: ['template', 'messages'],
        message: 'a chat template needs at least one user message',
      });
    }
    sections = {
      mode: 'chat',
      system: parse(body.system, ['system']),
      messages: body.messages.map((message, index) => ({
        role: message.role,
        content: parse(message.content, ['messages', index, 'content'])!,
      })),
    };
  }

  if (body.few_shot) {
    sections.fewShot = body.few_shot;
    issues.push(...fewShotIssues(body.few_shot));
  }

  const declared = body.variables ?? [];
  const warnings: CallWarning[] = [];
  const seen = new Set<string>();
  declared.forEach((variable, index) => {
    if (seen.has(variable.name)) {
      issues.push({
        code: 'duplicate_variable',
        path: ['template', 'variables', index, 'name'],
        message: `"${variable.name}" is declared twice`,
      });
    }
    seen.add(variable.name);
    if (variable.default !== undefined) {
      const problem = typeProblem(variable.type ?? 'string', variable.default);
      if (problem)
        issues.push({
          code: 'invalid_type',
          path: ['template', 'variables', index, 'default'],
          message: `default: ${problem}`,
        });
      if (variable.required === true) {
        warnings.push({
          type: 'other',
          setting: `variables.${variable.name}`,
          message: `"${variable.name}" is required, so its default is never used.`,
        });
      }
    }
    if (!used.includes(variable.name)) {
      warnings.push({
        type: 'other',
        setting: `variables.${variable.name}`,
        message: `"${variable.name}" is declared but the template never uses {{${variable.name}}}.`,
      });
    }
  });
  if (body.model_id !== undefined && !/^[^:\s]+:\S+$/.test(body.model_id)) {
    issues.push({
      code: 'invalid_model_id',
      path: ['template', 'model_id'],
      message: 'expected "provider:model", e.g. "llamacpp:granite-3.3-2b-instruct"',
    });
  }
  return { body, sections, variables: effectiveVariables(declared, used), issues, warnings };
}
