/**
 * @module tuning/prompt-optimisation/candidates
 * The edits a prompt search tries on a template body, whatever its mode: replace the instruction
 * (structured: `instruction`; chat: the system message; freeform: a first paragraph put before
 * the text), set few-shot examples (structured: `examples`; chat: user/assistant turns before the
 * conversation; freeform: Input/Output blocks before the text), and add an output-format
 * constraint (a sentence after the instruction, plus `output_schema` for a JSON schema).
 */
import type { TemplateBody } from '../../api/prompts.js';
import { type ExampleCandidate, exampleBlock } from '../../prompts/index.js';

/** A literal `{{` in example or instruction text must not become a placeholder. */
export const escapeBraces = (text: string) => text.replace(/\{\{/g, '\\{{');

/** The instruction a body carries now ('' when none). */
export function instructionOf(body: TemplateBody): string {
  if (body.mode === 'structured') return body.instruction ?? '';
  if (body.mode === 'chat') return body.system ?? '';
  return '';
}

export function withInstruction(body: TemplateBody, instruction: string): TemplateBody {
  const text = escapeBraces(instruction.trim());
  if (body.mode === 'structured') return { ...body, instruction: text };
  if (body.mode === 'chat') return { ...body, system: text };
  return { ...body, text: `${text}\n\n${body.text}` };
}

export function withExamples(body: TemplateBody, examples: readonly ExampleCandidate[]): TemplateBody {
  const pairs = examples.map((e) => ({ input: escapeBraces(e.input), output: escapeBraces(e.output) }));
  if (body.mode === 'structured') return { ...body, examples: pairs };
  if (body.mode === 'chat') {
    const turns = pairs.flatMap((p) => [
      { role: 'user' as const, content: p.input },
      { role: 'assistant' as const, content: p.output },
    ]);
    return { ...body, messages: [...turns, ...body.messages] };
  }
  const blocks = pairs.map((p) => exampleBlock(p, 'Input:', 'Output:')).join('\n\n');
  return { ...body, text: `${blocks}\n\n${body.text}` };
}

export interface FormatConstraint {
  /** The sentence the model is given. */
  text: string;
  /** A JSON schema the output must match (kept on the saved version as `output_schema`). */
  schema?: Record<string, unknown> | undefined;
}

export function withFormat(body: TemplateBody, format: FormatConstraint): TemplateBody {
  const base = instructionOf(body);
  const sentence = escapeBraces(format.text.trim());
  const schema = format.schema ? { output_schema: format.schema } : {};
  if (body.mode === 'freeform') return { ...body, ...schema, text: `${body.text.trimEnd()}\n${sentence}\n` };
  const joined = base ? `${base.trim()}\n${sentence}` : sentence;
  return body.mode === 'structured'
    ? { ...body, ...schema, instruction: joined }
    : { ...body, ...schema, system: joined };
}

/** The format constraints tried by default: the label set, or a short answer. */
export function defaultFormats(labels: readonly string[]): FormatConstraint[] {
  if (labels.length > 0 && labels.length <= 50) {
    return [{ text: `Answer with exactly one of: ${labels.join(', ')}. Write nothing else.` }];
  }
  return [{ text: 'Answer in one short sentence. Write nothing else.' }];
}
