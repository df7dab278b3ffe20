/**
 * @module prompts/run-record
 * How a Prompt Lab run is stored and answered under its guardrail policy (run-protection): the
 * prompt, values and template masked, the raw values sealed when anything was masked, and shown
 * back only to a role the policy lets restore.
 */
import type { PromptRun, TemplateBody } from '../api/prompts.js';
import type { GenerationRequest } from '../models/index.js';
import type { LanguageModelPrompt } from '../spec/language-model.js';
import type { Caller, PromptLab } from './prompt-lab.js';
import { renderedPromptJson } from './render-template.js';
import { mapStrings, type RunProtection, revealedRun, type StoragePolicy } from './run-protection.js';
import type { StructuredStrategy } from './structured-output.js';

/** Everything decided before the model is called. */
export interface Planned {
  run: PromptRun;
  call: GenerationRequest;
  strategy: StructuredStrategy;
  schema: TemplateBody['output_schema'];
  startedAt: number;
  /** The prompt and values as rendered: only ever sealed, or shown to a role that may restore. */
  raw: { prompt: LanguageModelPrompt; variables: Record<string, unknown>; source?: TemplateBody };
  /** The policy the run is stored under: undefined until resolved, null when none applies. */
  policy?: StoragePolicy | null | undefined;
  protection?: RunProtection | undefined;
  /** The caller's role may see the raw values (the policy's `restoreRoles`). */
  reveal: boolean;
}

/**
 * Masks the run's prompt and values under its policy (when the policy could not be resolved: the
 * project's default, else the built-in one). Without a policy the run is stored as rendered.
 */
export async function protect(lab: PromptLab, caller: Caller, planned: Planned): Promise<void> {
  if (planned.protection) return;
  if (planned.policy === undefined) planned.policy = (await lab.privacy.fallback(caller.projectId)) ?? null;
  if (!planned.policy) return;
  const protection = await lab.privacy.protect(planned.raw.prompt, planned.raw.variables, planned.policy);
  planned.protection = protection;
  planned.run.prompt = renderedPromptJson(protection.prompt);
  planned.run.variables = protection.variables;
  // The template as run (an inline one is the user's own text) is masked too; the raw one is sealed.
  const source = mapStrings(planned.run.source, protection.maskUnchecked) as TemplateBody;
  if (JSON.stringify(source) !== JSON.stringify(planned.run.source)) {
    planned.raw.source = planned.run.source;
    planned.run.source = source;
  }
}

/** Whether anything of the run was masked, so that there are raw values to seal. */
function masked(planned: Planned): boolean {
  return !!planned.protection && (planned.protection.changed || planned.raw.source !== undefined);
}

/** Model output as it may be stored: any raw input value the model echoed is masked too. */
export function stored(planned: Planned, text: string): string {
  return planned.protection ? planned.protection.maskText(text) : text;
}

/** The raw values of a protected run, as sealed and as shown to a role that may restore. */
function rawValues(planned: Planned) {
  return {
    prompt: renderedPromptJson(planned.raw.prompt),
    variables: planned.raw.variables,
    mapping: planned.protection!.pseudonymizer.entries(),
    ...(planned.raw.source ? { source: planned.raw.source } : {}),
  };
}

/** Records the run masked, with its raw values sealed when anything was masked. */
export async function record(lab: PromptLab, caller: Caller, planned: Planned): Promise<void> {
  const { policy } = planned;
  await lab.runs.insert(
    caller.projectId,
    planned.run,
    policy
      ? { policy: policy.name, sealed: masked(planned) ? lab.privacy.seal(rawValues(planned)) : null }
      : null,
  );
}

/** The run as this caller sees it: with the raw values when the policy lets their role restore. */
export function answer(planned: Planned): PromptRun {
  const { policy, run } = planned;
  const redacted: PromptRun = {
    ...run,
    redaction: policy ? { policy: policy.name, sealed: masked(planned), revealed: false } : null,
  };
  return planned.reveal && masked(planned) ? revealedRun(redacted, rawValues(planned)) : redacted;
}
