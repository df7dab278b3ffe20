/**
 * @module prompts/render-template
 * Turns a compiled template and checked values into the prompt a model receives: text for the
 * freeform and structured modes (structured laid out the way watsonx's Prompt Lab does it), chat
 * messages for the chat mode. A template with a few-shot pool gets the examples picked for these
 * values in its examples section: structured, after its own examples; chat, user/assistant turns
 * after the system message; freeform, `Input:`/`Output:` blocks before the text. Picked examples
 * are literal text (no placeholders).
 */
import type { RenderedPrompt } from '../api/prompts.js';
import type { LanguageModelPrompt } from '../spec/language-model.js';
import { type CompiledSections, DEFAULT_INPUT_PREFIX, DEFAULT_OUTPUT_PREFIX } from './compile-template.js';
import { examplesForInput } from './few-shot-pool.js';
import { fillSegments, type ParsedText } from './placeholders.js';

/** A prefix and a value on one line; no dangling space when either is empty. */
function prefixed(prefix: string, value: string): string {
  if (!prefix) return value;
  if (!value) return prefix;
  return `${prefix} ${value}`;
}

/** One example as an input line under its prefix and an output line under its own. */
export function exampleBlock(
  example: { input: string; output: string },
  inputPrefix: string,
  outputPrefix: string,
): string {
  return `${prefixed(inputPrefix, example.input)}\n${prefixed(outputPrefix, example.output)}`;
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
  const picked = sections.fewShot ? examplesForInput(sections.fewShot, texts) : [];
  if (sections.mode === 'freeform') {
    const blocks = picked.map((e) => exampleBlock(e, DEFAULT_INPUT_PREFIX, DEFAULT_OUTPUT_PREFIX));
    return { type: 'text', text: [...blocks, fill(sections.text)].join('\n\n') };
  }
  if (sections.mode === 'structured') {
    const blocks: string[] = [];
    const instruction = fill(sections.instruction).trim();
    if (instruction) blocks.push(instruction);
    const own = sections.examples.map((e) => ({ input: fill(e.input), output: fill(e.output) }));
    for (const example of [...own, ...picked])
      blocks.push(exampleBlock(example, sections.inputPrefix, sections.outputPrefix));
    const tail =
      `${prefixed(sections.inputPrefix, fill(sections.testInput))}\n${sections.outputPrefix}`.trimEnd();
    if (tail.trim()) blocks.push(tail);
    return { type: 'text', text: blocks.join('\n\n') };
  }
  const messages: Extract<LanguageModelPrompt, { type: 'chat' }>['messages'] = [];
  const system = fill(sections.system);
  if (system.trim()) messages.push({ role: 'system', content: system });
  for (const example of picked) {
    messages.push({ role: 'user', content: example.input }, { role: 'assistant', content: example.output });
  }
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
