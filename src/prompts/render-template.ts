/**
 * @module prompts/render-template
 * Turns a compiled template and checked values into the prompt a model receives: text for the
 * freeform and structured modes (structured laid out the way watsonx's Prompt Lab does it), chat
 * messages for the chat mode.
 */
import type { RenderedPrompt } from '../api/prompts.js';
import type { LanguageModelPrompt } from '../spec/language-model.js';
import type { CompiledSections } from './compile-template.js';
import { fillSegments, type ParsedText } from './placeholders.js';

/** A prefix and a value on one line; no dangling space when either is empty. */
function prefixed(prefix: string, value: string): string {
  if (!prefix) return value;
  if (!value) return prefix;
  return `${prefix} ${value}`;
}

/**
 * Renders the sections with the placeholder texts.
 * @example
 * // structured: "Classify the complaint.\n\nInput: late delivery\nOutput: delivery\n\nInput: {{complaint}}\nOutput:"
 */
export function renderSections(
  sections: CompiledSections,
  texts: ReadonlyMap<string, string>,
): LanguageModelPrompt {
  const fill = (parsed: ParsedText | undefined) => (parsed ? fillSegments(parsed.segments, texts) : '');
  if (sections.mode === 'freeform') return { type: 'text', text: fill(sections.text) };
  if (sections.mode === 'structured') {
    const blocks: string[] = [];
    const instruction = fill(sections.instruction).trim();
    if (instruction) blocks.push(instruction);
    for (const example of sections.examples) {
      blocks.push(
        `${prefixed(sections.inputPrefix, fill(example.input))}\n${prefixed(sections.outputPrefix, fill(example.output))}`,
      );
    }
    const tail =
      `${prefixed(sections.inputPrefix, fill(sections.testInput))}\n${sections.outputPrefix}`.trimEnd();
    if (tail.trim()) blocks.push(tail);
    return { type: 'text', text: blocks.join('\n\n') };
  }
  const messages: Extract<LanguageModelPrompt, { type: 'chat' }>['messages'] = [];
  const system = fill(sections.system);
  if (system.trim()) messages.push({ role: 'system', content: system });
  for (const message of sections.messages)
    messages.push({ role: message.role, content: fill(message.content) });
  return { type: 'chat', messages };
}

/** The prompt as the API shows it. */
export function renderedPromptJson(prompt: LanguageModelPrompt): RenderedPrompt {
  if (prompt.type === 'text') return { type: 'text', text: prompt.text };
  return {
    type: 'chat',
    messages: prompt.messages.map((message) => ({
      role: message.role as 'system' | 'user' | 'assistant',
      content: message.content,
    })),
  };
}

/** One string for search and token estimates: chat messages as `role: content` blocks. */
export function promptText(prompt: LanguageModelPrompt | RenderedPrompt): string {
  if (prompt.type === 'text') return prompt.text;
  return prompt.messages.map((message) => `${message.role}: ${message.content}`).join('\n\n');
}
