/**
 * @module evals/red-team/red-team-runner
 * Sends one probe through the target's guarded path — the generation service with the run's
 * guardrail policy, the same middleware real traffic goes through (input checked before the
 * model, output after) — and records what happened: blocked on input and by which detectors,
 * changed on output, or answered; and whether the attack succeeded, judged from the output.
 * A RAG collection or a deployment serves the probe through its own path; which detectors acted
 * there is read from the guardrail decisions recorded under the probe's request id (a passage the
 * answer path screened out among them). A RAG answer path that says "don't know" without calling
 * its model (retrieval gave it nothing to answer from) is `refused_retrieval`, never `answered`:
 * the attack did not reach the model.
 */
import { toKeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DeploymentService } from '../../deployments/index.js';
import type { GuardrailOutcome, GuardrailRequest, GuardrailService } from '../../guardrails/index.js';
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
  /** Where a served target's guardrail decisions are read back (by the probe's request id). */
  guardrails: Pick<GuardrailService, 'decisions'>;
  prompts?: PromptLab;
  rag?: RagService;
  deployments?: (() => DeploymentService | undefined) | undefined;
}

/** Each guardrail action once per probe, however many spans it found. */
function distinct(decisions: readonly Catch[]): Catch[] {
  const seen = new Set<string>();
  const list: Catch[] = [];
  for (const decision of decisions) {
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

function catches(outcome: GuardrailOutcome | undefined): Catch[] {
  return outcome ? distinct([...outcome.input, ...outcome.output]) : [];
}

/** Allowance for the database clock against this process's when reading a request's records. */
const CLOCK_SKEW_MS = 60_000;

/**
 * What the policy did to a request another module served (a RAG answer, a deployment): the
 * guardrail decisions recorded under the probe's request id — the record an auditor reads, so
 * the attribution is the serving path's own, not a re-run of the detectors.
 */
async function recordedCatches(
  deps: RunnerDeps,
  projectId: string,
  requestId: string,
  startedAt: Date,
): Promise<Catch[]> {
  const rows = await deps.guardrails.decisions(projectId, {
    requestId,
    since: new Date(startedAt.getTime() - CLOCK_SKEW_MS),
    limit: 1000,
  });
  return distinct(
    rows.reverse().map((row) => ({
      direction: row.direction === 'output' || row.direction === 'context' ? row.direction : 'input',
      detector: String(row.detector),
      type: String(row.entity_type),
      action: String(row.action),
    })),
  );
}

/** Blocked when a detector blocked the input; changed when one masked, removed or blocked text. */
function outcomeOf(caught: readonly Catch[], blocked: boolean): ProbeResult['outcome'] {
  if (blocked || caught.some((entry) => entry.direction === 'input' && entry.action === 'block'))
    return 'blocked_input';
  return caught.some((entry) => entry.action !== 'flag') ? 'filtered' : 'answered';
}

/** Runs one probe. A model or template failure is the probe's error; an abort is rethrown. */
export async function runProbe(
  deps: RunnerDeps,
  caller: ProbeCaller,
  plan: RunPlan,
  probe: Probe,
): Promise<ProbeResult> {
  const started = performance.now();
  const startedAt = new Date();
  // A served target's guardrail decisions are read back from the records under this id.
  const requestId = newId('req');
  const base = { probe_id: probe.id, category: probe.category, language: probe.language };
  const served = Boolean(plan.deployment || plan.collectionId);
  const result = (outcome: ProbeResult['outcome'], output: string, caught: Catch[]): ProbeResult => {
    // Blocked or refused before the model: whatever the caller saw, the model wrote none of it.
    const reachedModel = outcome !== 'blocked_input' && outcome !== 'refused_retrieval';
    const judgement = judge(probe.detector, reachedModel ? output : '');
    return {
      ...base,
      outcome,
      success: judgement.success,
      evidence: judgement.evidence,
      caught_by: caught,
      output: output.slice(0, MAX_STORED_OUTPUT),
      latency_ms: Math.round(performance.now() - started),
      error: null,
    };
  };
  try {
    if (served) {
      const answer = plan.deployment
        ? await deploymentAnswer(deps, caller, plan.deployment, probe, requestId)
        : await ragAnswer(deps, caller, plan, probe, requestId);
      const caught = await recordedCatches(deps, caller.projectId, requestId, startedAt);
      const outcome = outcomeOf(caught, false);
      if (outcome !== 'blocked_input' && answer.refused)
        return result('refused_retrieval', answer.text, caught);
      // The output was replaced even if no record names why: never reported as untouched.
      return result(outcome === 'answered' && answer.replaced ? 'filtered' : outcome, answer.text, caught);
    }
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
    const caught = catches(outcome.guardrails);
    // Answered, but a guardrail changed the prompt (masked, pseudonymised) or the output: filtered.
    return result(outcomeOf(caught, outcome.guardrails?.blocked === 'input'), outcome.text, caught);
  } catch (error) {
    if (caller.signal?.aborted) throw error;
    const failure = toKeelError(error);
    // A RAG collection or deployment refuses a question its policy blocks: stopped at the input.
    if (served && failure.code === 'guardrail_blocked')
      return result('blocked_input', '', await recordedCatches(deps, caller.projectId, requestId, startedAt));
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

/**
 * What a served target answered; whether a guardrail replaced it (`content_filter`); whether a RAG
 * answer path declined without calling its model (status `dont_know`: no passage, or too little
 * of the question covered — a collection never answers without passages).
 */
interface ServedAnswer {
  text: string;
  replaced: boolean;
  refused: boolean;
}

/** One probe as a question to a RAG collection, under the run's policy (a blocked one throws). */
async function ragAnswer(
  deps: RunnerDeps,
  caller: ProbeCaller,
  plan: RunPlan,
  probe: Probe,
  requestId: string,
): Promise<ServedAnswer> {
  if (!deps.rag) throw new Error('A RAG target needs the RAG module.');
  const target = plan.target as Extract<RedTeamTarget, { type: 'rag' }>;
  const answer = await deps.rag.ask(
    { ...caller, requestId, ...(plan.guardrails ? { guardrails: plan.guardrails } : {}) },
    plan.collectionId!,
    { question: ragQuestion(probe), ...(target.model ? { model: target.model } : {}) },
  );
  return { text: answer.answer, replaced: false, refused: answer.status === 'dont_know' };
}

/**
 * One probe through a deployment's serving path, invoked as its callers invoke it. Which detectors
 * acted is read from the guardrail records of the request (`recordedCatches`); a template
 * deployment's `content_filter` with no input block means its output was replaced (filtered).
 */
async function deploymentAnswer(
  deps: RunnerDeps,
  caller: ProbeCaller,
  plan: DeploymentPlan,
  probe: Probe,
  requestId: string,
): Promise<ServedAnswer> {
  const deployments = deps.deployments?.();
  if (!deployments) throw new Error('A deployment target needs the deployments module.');
  const result = await deployments.invoke(caller, plan.id, {
    variables: deploymentVariables(plan, probe),
    requestId,
    endpoint: '/api/v1/red-team',
  });
  if (result.kind === 'rag_collection')
    return { text: result.answer.answer, replaced: false, refused: result.answer.status === 'dont_know' };
  return { text: result.run.output, replaced: result.run.finish_reason === 'content_filter', refused: false };
}
