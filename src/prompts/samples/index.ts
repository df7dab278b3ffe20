/**
 * @module prompts/samples
 * The sample library: templates for generate, extract, summarize, classify, Q&A and RAG
 * answering, each in Korean and in English, from everyday enterprise work. `loadSamples` saves
 * the chosen ones into a project as ordinary templates (version 1, message "Loaded from the
 * sample library"); names already taken are skipped, never overwritten.
 */
import type { PromptSample, PromptSummary, PromptTask } from '../../api/prompts.js';
import { KeelError } from '../../core/errors.js';
import { checkTemplate, templateSize } from '../check-template.js';
import type { Caller, PromptLab } from '../prompt-lab.js';
import { classifySamples } from './classify.js';
import { extractSamples } from './extract.js';
import { generateSamples } from './generate.js';
import { qaSamples } from './qa.js';
import { ragSamples } from './rag.js';
import { summarizeSamples } from './summarize.js';

export const promptSamples: readonly PromptSample[] = [
  ...generateSamples,
  ...extractSamples,
  ...summarizeSamples,
  ...classifySamples,
  ...qaSamples,
  ...ragSamples,
];

export function listSamples(
  filter: { task?: PromptTask | undefined; language?: 'ko' | 'en' | undefined } = {},
): PromptSample[] {
  return promptSamples.filter(
    (sample) =>
      (!filter.task || sample.task === filter.task) &&
      (!filter.language || sample.language === filter.language),
  );
}

export interface LoadSamplesInput {
  ids?: string[] | undefined;
  task?: PromptTask | undefined;
  language?: 'ko' | 'en' | undefined;
  model?: string | undefined;
  prefix?: string | undefined;
}

/** Saves samples into the caller's project as templates, all in one transaction. */
export async function loadSamples(
  lab: PromptLab,
  caller: Caller,
  input: LoadSamplesInput,
): Promise<{ created: PromptSummary[]; skipped: { name: string; reason: string }[] }> {
  let chosen = listSamples(input);
  if (input.ids) {
    const unknown = input.ids.filter((id) => !promptSamples.some((sample) => sample.id === id));
    if (unknown.length) {
      throw new KeelError('not_found', `No sample named ${unknown.map((id) => `"${id}"`).join(', ')}.`, {
        issues: unknown.map((id) => ({
          code: 'unknown_sample',
          path: ['ids', input.ids!.indexOf(id)],
          message: `no sample "${id}"`,
        })),
        data: { available: promptSamples.map((sample) => sample.id) },
      });
    }
    chosen = chosen.filter((sample) => input.ids!.includes(sample.id));
  }
  const created: PromptSummary[] = [];
  const skipped: { name: string; reason: string }[] = [];
  await lab.templates.db.transaction(async (tx) => {
    for (const sample of chosen) {
      const name = `${input.prefix ?? ''}${sample.id}`;
      if (await lab.templates.findId(tx, caller.projectId, name)) {
        skipped.push({ name, reason: 'a template with this name already exists' });
        continue;
      }
      const body = input.model ? { ...sample.template, model_id: input.model } : sample.template;
      checkTemplate(body);
      const stored = await lab.templates.create(
        caller.projectId,
        caller.actor,
        {
          name,
          title: sample.title,
          description: sample.description,
          task: sample.task,
          body,
          message: 'Loaded from the sample library',
          sizeBytes: templateSize(body),
        },
        tx,
      );
      created.push(stored.summary);
    }
  });
  for (const summary of created) {
    lab.templates.audit.record({
      action: 'template.create',
      projectId: caller.projectId,
      target: { type: 'template', id: summary.id },
      after: summary,
      detail: { name: summary.name, version: 1, sample: true },
    });
  }
  return { created, skipped };
}
