/**
 * The structured layout as the server renders it (src/prompts/render-template.ts), for the
 * editor's preview of the text that is sent.
 */
import type { PromptDraft, StructuredPrompt } from './prompt-draft';
import { fillVariables, findVariables } from './prompt-variables';
import { bodyTexts, chatMessagesOf, toTemplateBody } from './template-body';

/** A prefix and a value on one line; no dangling space when either is empty. */
function prefixed(prefix: string, value: string): string {
  if (!prefix) return value;
  if (!value) return prefix;
  return `${prefix} ${value}`;
}

export function composeStructured(
  prompt: StructuredPrompt,
  values: Readonly<Record<string, string>> = {},
): string {
  const fill = (text: string) => fillVariables(text, values);
  const blocks: string[] = [];
  const instruction = fill(prompt.instruction).trim();
  if (instruction) blocks.push(instruction);
  for (const example of prompt.examples)
    blocks.push(
      `${prefixed(prompt.inputPrefix, fill(example.input))}\n${prefixed(prompt.outputPrefix, fill(example.output))}`,
    );
  const tail = `${prefixed(prompt.inputPrefix, fill(prompt.testInput))}\n${prompt.outputPrefix}`.trimEnd();
  if (tail.trim()) blocks.push(tail);
  return blocks.join('\n\n');
}

export function draftVariableNames(draft: PromptDraft): string[] {
  return findVariables(bodyTexts(toTemplateBody(draft)));
}

export function isDraftEmpty(draft: PromptDraft): boolean {
  if (draft.mode === 'chat') return chatMessagesOf(draft).length === 0;
  if (draft.mode === 'freeform') return !draft.freeform.trim();
  const { structured } = draft;
  return !structured.instruction.trim() && !structured.testInput.trim() && structured.examples.length === 0;
}
