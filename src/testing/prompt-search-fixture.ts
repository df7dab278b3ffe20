/**
 * @module testing/prompt-search-fixture
 * A prompt-optimisation fixture for tests: a model whose answer depends on the prompt (it labels
 * the last input correctly only when told the answer format, and otherwise echoes the prompt
 * reversed, which never matches a label), a labelled train/dev dataset of days, and a structured
 * template, so a search that works must pick the format candidate.
 */
import type { LanguageModelCallOptions } from '../spec/language-model.js';
import { createEchoProvider } from './echo-provider.js';
import type { TestKeel } from './test-keel.js';

/** Labels the last `Input:` line when the prompt says "exactly one of"; else the echo's reversal. */
export function formatAwareAnswer(options: LanguageModelCallOptions): string | undefined {
  return formatAwareText(options.prompt.type === 'text' ? options.prompt.text : '');
}

/** The same answer for a prompt's text (a fake upstream's `answer`): undefined without the format. */
export function formatAwareText(text: string): string | undefined {
  if (!text.includes('exactly one of')) return undefined;
  const last =
    text
      .split('\n')
      .filter((l) => l.startsWith('Input:'))
      .pop() ?? '';
  return /good|great|fine/.test(last) ? 'pos' : 'neg';
}

export const formatAwareProvider = () => createEchoProvider({ respond: formatAwareAnswer });

/** The example blocks (`Input:`/`Output:` pairs) of a structured prompt, and its last input. */
function examplesOf(text: string): { examples: { input: string; output: string }[]; last: string } {
  const lines = text.split('\n');
  const examples: { input: string; output: string }[] = [];
  lines.forEach((line, i) => {
    const next = lines[i + 1] ?? '';
    if (line.startsWith('Input: ') && next.startsWith('Output: ') && next.length > 'Output: '.length)
      examples.push({ input: line.slice(7), output: next.slice(8) });
  });
  const last = lines.filter((l) => l.startsWith('Input:')).pop() ?? '';
  return { examples, last: last.slice(7) };
}

/**
 * A model for the search strategies: told to "Copy the neighbour", it answers with the output of
 * the example whose input starts with the same word as the last input (only examples retrieved
 * per input reliably hold one); told to "Label the mood", it labels the last input — but only
 * when the prompt also shows examples (neither the instruction nor the examples help alone).
 * Otherwise it echoes the prompt reversed.
 */
export function strategyAnswer(options: LanguageModelCallOptions): string | undefined {
  const text = options.prompt.type === 'text' ? options.prompt.text : '';
  const { examples, last } = examplesOf(text);
  if (text.includes('Copy the neighbour')) {
    const word = last.split(' ')[0];
    return examples.find((e) => e.input.split(' ')[0] === word)?.output;
  }
  if (text.includes('Label the mood') && examples.length > 0)
    return /good|great|fine/.test(last) ? 'pos' : 'neg';
  return undefined;
}

export const strategyProvider = () => createEchoProvider({ respond: strategyAnswer });

/** 24 days, half good (`pos`) and half bad (`neg`); the first 12 are `train`, the rest `dev`. */
export function dayRows(withLabels = true): Record<string, unknown>[] {
  const good = ['good', 'great', 'fine'];
  const bad = ['awful', 'poor', 'sad'];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 24; i++) {
    const pos = i % 2 === 0;
    out.push({
      text: `${pos ? good[i % 3] : bad[i % 3]} day number ${i}`,
      ...(withLabels ? { label: pos ? 'pos' : 'neg' } : {}),
      split: i < 12 ? 'train' : 'dev',
    });
  }
  return out;
}

/** Creates the template `name` and the datasets `days` (labelled) and `days-unlabelled`; the statuses. */
export async function createDayFixtures(keel: TestKeel, name = 'sentiment'): Promise<number[]> {
  const statuses: number[] = [];
  const template = await keel.call('/api/v1/prompts', {
    method: 'POST',
    json: {
      name,
      template: {
        mode: 'structured',
        instruction: 'Say how the day was.',
        test_input: '{{text}}',
        model_id: 'echo:reverse',
      },
    },
  });
  statuses.push(template.status);
  for (const [dataset, labelled] of [
    ['days', true],
    ['days-unlabelled', false],
  ] as const) {
    const created = await keel.call('/api/v1/datasets', {
      method: 'POST',
      json: {
        name: dataset,
        rows: dayRows(labelled),
        mapping: { input: ['text'], ...(labelled ? { label: 'label' } : {}), split: 'split' },
      },
    });
    statuses.push(created.status);
  }
  return statuses;
}

/** Polls a job over the API until it ends; the job as the API shows it then. */
export async function finishedJob<T = Record<string, unknown>>(keel: TestKeel, id: string): Promise<T> {
  for (;;) {
    const job = (await (await keel.call(`/api/v1/jobs/${id}`)).json()) as { status: string };
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job as T;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
