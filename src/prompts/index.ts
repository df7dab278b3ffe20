/**
 * @module prompts
 * Prompt Lab: templates, versions and labels; render and run; run history, sessions, compare.
 * Other modules import it only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { GuardrailService } from '../guardrails/index.js';
import type { GenerationService, ProviderRegistry } from '../models/index.js';
import { PromptLab } from './prompt-lab.js';

export { type Caller, PromptLab, type PromptLabDependencies } from './prompt-lab.js';

export interface PromptsDeps extends ModuleBase {
  audit: AuditLog;
  guardrails: GuardrailService;
  registry: ProviderRegistry;
  generation: GenerationService;
}

/** The prompts module: the one Prompt Lab of a Keel instance. */
export const promptsModule: KeelModule<PromptsDeps, { prompts: PromptLab }> = {
  name: 'prompts',
  create: ({ db, generation, registry, guardrails, audit }) => ({
    prompts: new PromptLab({ db, generation, registry, guardrails, audit }),
  }),
};
export {
  type ExampleCandidate,
  ExampleIndex,
  examplesForInput,
  fitPool,
  selectExamples,
} from './few-shot-pool.js';
export type { ResolvedSource } from './prompt-lab.js';
export { type RunInput, runPrompt, streamPrompt } from './prompt-runner.js';
export { exampleBlock } from './render-template.js';
