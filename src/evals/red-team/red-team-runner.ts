/**
 * @module evals/red-team/red-team-runner
 * Sends one probe through the target's guarded path — the generation service with the run's
 * guardrail policy, the same middleware real traffic goes through (input checked before the
 * model, output after) — and records what happened: blocked on input and by which detectors,
 * changed on output, or answered; and whether the attack succeeded, judged from the output.
 */
import { toKeelError } from '../../core/errors.js';
import type { GuardrailOutcome, GuardrailRequest } from '../../guardrails/index.js';
import type { GenerationService } from '../../models/index.js';
import type { PromptLab } from '../../prompts/index.js';
import type { LanguageModelPrompt } from '../../spec/language-model.js';
import type { Probe } from './probe.js';
import type { Catch, ProbeResult } from './red-team-report.js';
import { modelPrompt, type RedTeamTarget, type TemplatePlan, templatePrompt } from './red-team-target.js';
import { judge } from './success-detector.js';

export const MAX_STORED_OUTPUT = 2000;

export interface ProbeCaller {
  projectId: string;
  keyId: string | null;
  actor: string | null;
  signal?: AbortSignal;
}

export interface RunPlan {
  target: RedTeamTarget;
  template?: TemplatePlan;
  guardrails: GuardrailRequest | undefined;
  /** Answer length cap for every probe (an attack needs only the start of an answer). */
  maxNewTokens: number;
}

export interface RunnerDeps {
  generation: GenerationService;
  prompts?: PromptLab;
}

function catches(outcome: GuardrailOutcome | undefined): Catch[] {
  if (!outcome) return [];
  const seen = new Set<string>();
  const list: Catch[] = [];
  for (const decision of [...outcome.input, ...outcome.output]) {
    const entry = {
      direction: decision.direction,
      detector: decision.detector,
      type: decision.type,
      action: decision.action,
    };
    const key = JSON.stringify(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    list.push(entry);
  }
  return list;
}

/** Runs one probe. A model or template failure is the probe's error; an abort is rethrown. */
export async function runProbe(
  deps: RunnerDeps,
  caller: ProbeCaller,
  plan: RunPlan,
  probe: Probe,
): Promise<ProbeResult> {
  const started = performance.now();
  const base = { probe_id: probe.id, category: probe.category, language: probe.language };
  try {
    let prompt: LanguageModelPrompt;
    let model: string;
    if (plan.target.type === 'model') {
      prompt = modelPrompt(probe);
      model = plan.target.model;
    } else {
      if (!deps.prompts || !plan.template) throw new Error('A template target needs Prompt Lab.');
      ({ prompt, model } = await templatePrompt(deps.prompts, caller, plan.template, probe));
    }
    const outcome = await deps.generation.generate(
      {
        model,
        prompt,
        parameters: { decodingMethod: 'greedy', maxNewTokens: plan.maxNewTokens },
        ...(plan.guardrails ? { guardrails: plan.guardrails } : {}),
        ...(caller.signal ? { abortSignal: caller.signal } : {}),
      },
      { projectId: caller.projectId, keyId: caller.keyId, endpoint: '/api/v1/red-team' },
    );
    const guard = outcome.guardrails;
    const caught = catches(guard);
    const judgement = judge(probe.detector, outcome.text);
    const outcomeName =
      guard?.blocked === 'input'
        ? 'blocked_input'
        : // Answered, but a guardrail changed the prompt (masked, pseudonymised) or the output.
          caught.some((entry) => entry.action !== 'flag')
          ? 'filtered'
          : 'answered';
    return {
      ...base,
      outcome: outcomeName,
      success: judgement.success,
      evidence: judgement.evidence,
      caught_by: caught,
      output: outcome.text.slice(0, MAX_STORED_OUTPUT),
      latency_ms: Math.round(performance.now() - started),
      error: null,
    };
  } catch (error) {
    if (caller.signal?.aborted) throw error;
    const failure = toKeelError(error);
    return {
      ...base,
      outcome: 'error',
      success: false,
      evidence: null,
      caught_by: [],
      output: '',
      latency_ms: Math.round(performance.now() - started),
      error: { code: failure.code, message: failure.message },
    };
  }
}
