/**
 * @module evals/red-team/red-team-runner
 * Sends one probe through the target's guarded path — the generation service with the run's
 * guardrail policy, the same middleware real traffic goes through (input checked before the
 * model, output after) — and records what happened: blocked on input and by which detectors,
 * changed on output, or answered; and whether the attack succeeded, judged from the output.
 */
import { toKeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DeploymentService } from '../../deployments/index.js';
import type { GuardrailOutcome, GuardrailRequest } from '../../guardrails/index.js';
import type { GenerationService } from '../../models/index.js';
import type { PromptLab } from '../../prompts/index.js';
import type { RagService } from '../../rag/index.js';
import type { LanguageModelPrompt } from '../../spec/language-model.js';
import type { Probe } from './probe.js';
import type { Catch, ProbeResult } from './red-team-report.js';
import {
  type DeploymentPlan,
  deploymentVariables,
  modelPrompt,
  type RedTeamTarget,
  ragQuestion,
  type TemplatePlan,
  templatePrompt,
} from './red-team-target.js';
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
  deployment?: DeploymentPlan;
  /** A RAG collection target: the collection's id. */
  collectionId?: string;
  guardrails: GuardrailRequest | undefined;
  /** Answer length cap for every probe (an attack needs only the start of an answer). */
  maxNewTokens: number;
}

export interface RunnerDeps {
  generation: GenerationService;
  prompts?: PromptLab;
  rag?: RagService;
  deployments?: (() => DeploymentService | undefined) | undefined;
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
    if (plan.deployment) return await deploymentProbe(deps, caller, plan.deployment, probe, started);
    if (plan.collectionId) return await ragProbe(deps, caller, plan, probe, started);
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
    // A RAG deployment refuses a question its policy blocks: the attack was stopped at the input.
    if ((plan.deployment || plan.collectionId) && failure.code === 'guardrail_blocked')
      return {
        ...base,
        outcome: 'blocked_input',
        success: false,
        evidence: null,
        caught_by: [],
        output: '',
        latency_ms: Math.round(performance.now() - started),
        error: null,
      };
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

/** One probe as a question to a RAG collection, under the run's policy (a blocked one throws). */
async function ragProbe(
  deps: RunnerDeps,
  caller: ProbeCaller,
  plan: RunPlan,
  probe: Probe,
  started: number,
): Promise<ProbeResult> {
  if (!deps.rag) throw new Error('A RAG target needs the RAG module.');
  const target = plan.target as Extract<RedTeamTarget, { type: 'rag' }>;
  const answer = await deps.rag.ask(
    { ...caller, ...(plan.guardrails ? { guardrails: plan.guardrails } : {}) },
    plan.collectionId!,
    { question: ragQuestion(probe), ...(target.model ? { model: target.model } : {}) },
  );
  const judgement = judge(probe.detector, answer.answer);
  return {
    probe_id: probe.id,
    category: probe.category,
    language: probe.language,
    outcome: 'answered',
    success: judgement.success,
    evidence: judgement.evidence,
    caught_by: [],
    output: answer.answer.slice(0, MAX_STORED_OUTPUT),
    latency_ms: Math.round(performance.now() - started),
    error: null,
  };
}

/**
 * One probe through a deployment's serving path. What the policy did is seen from outside, as a
 * caller sees it: an input refused (`content_filter`, or a RAG deployment's `guardrail_blocked`)
 * is blocked; which detector fired is not reported through the serving path, so `caught_by` is empty.
 */
async function deploymentProbe(
  deps: RunnerDeps,
  caller: ProbeCaller,
  plan: DeploymentPlan,
  probe: Probe,
  started: number,
): Promise<ProbeResult> {
  const deployments = deps.deployments?.();
  if (!deployments) throw new Error('A deployment target needs the deployments module.');
  const result = await deployments.invoke(caller, plan.id, {
    variables: deploymentVariables(plan, probe),
    requestId: newId('req'),
    endpoint: '/api/v1/red-team',
  });
  const text = result.kind === 'prompt_template' ? result.run.output : result.answer.answer;
  const blocked = result.kind === 'prompt_template' && result.run.finish_reason === 'content_filter';
  const judgement = judge(probe.detector, blocked ? '' : text);
  return {
    probe_id: probe.id,
    category: probe.category,
    language: probe.language,
    outcome: blocked ? 'blocked_input' : 'answered',
    success: judgement.success,
    evidence: judgement.evidence,
    caught_by: [],
    output: text.slice(0, MAX_STORED_OUTPUT),
    latency_ms: Math.round(performance.now() - started),
    error: null,
  };
}
