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
  const text = options.prompt.type === 'text' ? options.prompt.text : '';
  if (!text.includes('exactly one of')) return undefined;
  const last =
    text
      .split('\n')
      .filter((l) => l.startsWith('Input:'))
      .pop() ?? '';
  return /good|great|fine/.test(last) ? 'pos' : 'neg';
}

export const formatAwareProvider = () => createEchoProvider({ respond: formatAwareAnswer });

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
