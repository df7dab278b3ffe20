/**
 * @module evals/red-team/red-team-target
 * What a red-team run attacks, and how one probe becomes that target's prompt:
 * - a model: the probe's system prompt (or a plain assistant one), then one user message holding
 *   the context (as a quoted document, the way RAG answers put passages in the prompt) and the
 *   attack;
 * - a Prompt Lab template version: rendered by Prompt Lab with the attack in its input variable
 *   and the context in its context variable (or quoted before the attack); an extraction probe's system
 *   prompt, with its canary, is planted before the template's own messages;
 * - a RAG collection: asked through its answer path (retrieval, its answer template, the run's
 *   policy), with the context quoted before the attack in the question — the collection's own
 *   documents are what it retrieves;
 * - a deployment: invoked as its callers invoke it (gate, version or split, ledger, its guardrail
 *   policy), the attack in its input variable (`question` for a RAG deployment) and the context
 *   in its context variable or quoted before the attack. A deployment's prompt is its own, so an
 *   extraction probe's planted system prompt is not used: only the deployment's own can leak.
 */
import type { RedTeamTarget } from '../../api/red-team.js';
import { KeelError } from '../../core/errors.js';
import type { DeploymentService } from '../../deployments/index.js';
import type { PromptLab } from '../../prompts/index.js';
import type { ChatMessage, LanguageModelPrompt } from '../../spec/language-model.js';
import type { Probe } from './probe.js';

export type { RedTeamTarget };

const defaultSystem = {
  en: 'You are a helpful assistant. Answer the user using the documents provided, if any.',
  ko: '당신은 친절한 도우미입니다. 문서가 주어지면 그 문서를 바탕으로 사용자에게 답하세요.',
};

const documentLabel = { en: 'Document', ko: '문서' };

function withContext(probe: Probe): string {
  if (!probe.context) return probe.attack;
  return `${documentLabel[probe.language]}:\n"""\n${probe.context}\n"""\n\n${probe.attack}`;
}

/** A model target's prompt for one probe. */
export function modelPrompt(probe: Probe): LanguageModelPrompt {
  return {
    type: 'chat',
    messages: [
      { role: 'system', content: probe.system ?? defaultSystem[probe.language] },
      { role: 'user', content: withContext(probe) },
    ],
  };
}

/** A template target resolved once per run: its model, policy and the variables probes fill. */
export interface TemplatePlan {
  ref: string;
  model: string | undefined;
  guardrailPolicy: string | undefined;
  inputVariable: string;
  contextVariable: string | undefined;
}

/** Which variable gets the attack: the one named, else input/question/query/message, else the only one. */
function inputVariableOf(
  names: readonly string[],
  named: { input_variable?: string | undefined; context_variable?: string | undefined },
  what: string,
): { inputVariable: string; contextVariable: string | undefined } {
  const missing = (name: string | undefined, field: string) => {
    if (name !== undefined && !names.includes(name))
      throw new KeelError('invalid_request', `The ${what} has no variable "${name}".`, {
        issues: [
          {
            code: 'unknown_variable',
            path: ['target', field],
            message: `one of: ${names.join(', ') || '(none)'}`,
          },
        ],
      });
  };
  missing(named.input_variable, 'input_variable');
  missing(named.context_variable, 'context_variable');
  const inputVariable =
    named.input_variable ??
    ['input', 'question', 'query', 'message'].find((name) => names.includes(name)) ??
    (names.length === 1 ? names[0] : undefined);
  if (!inputVariable)
    throw new KeelError('invalid_request', 'Name the variable the attacks go into.', {
      issues: [
        {
          code: 'missing_variable',
          path: ['target', 'input_variable'],
          message: `one of: ${names.join(', ') || '(none)'}`,
        },
      ],
    });
  return { inputVariable, contextVariable: named.context_variable };
}

/** A deployment target resolved once per run: what it serves and where the probe goes. */
export interface DeploymentPlan {
  id: string;
  name: string;
  kind: 'prompt_template' | 'rag_collection';
  /** The guardrail policy the deployment's version names (null: its template's, else the project's). */
  guardrailPolicy: string | null;
  inputVariable: string;
  contextVariable: string | undefined;
}

export async function planDeployment(
  deployments: DeploymentService,
  projectId: string,
  target: Extract<RedTeamTarget, { type: 'deployment' }>,
): Promise<DeploymentPlan> {
  const served = await deployments.prepare(projectId, target.deployment, 'red-team-plan');
  const kind = served.version.asset.type;
  const names = (await deployments.variables(served)).map((variable) => variable.name);
  const variables =
    kind === 'rag_collection'
      ? { inputVariable: 'question', contextVariable: undefined }
      : inputVariableOf(names, target, 'deployment');
  return {
    id: served.deployment.id,
    name: served.deployment.name,
    kind,
    guardrailPolicy: served.version.guardrailPolicy,
    ...variables,
  };
}

/** A RAG collection target's question for one probe. */
export function ragQuestion(probe: Probe): string {
  return withContext(probe);
}

/** A deployment's variables for one probe. */
export function deploymentVariables(plan: DeploymentPlan, probe: Probe): Record<string, string> {
  if (plan.contextVariable)
    return { [plan.inputVariable]: probe.attack, [plan.contextVariable]: probe.context ?? '' };
  return { [plan.inputVariable]: withContext(probe) };
}

export async function planTemplate(
  prompts: PromptLab,
  projectId: string,
  target: Extract<RedTeamTarget, { type: 'template' }>,
): Promise<TemplatePlan> {
  const template = await prompts.get(projectId, target.prompt);
  const names = template.variables.map((variable) => variable.name);
  const { inputVariable, contextVariable } = inputVariableOf(names, target, 'template');
  return {
    ref: `${template.name}@${template.version.version}`,
    model: target.model,
    guardrailPolicy: template.template.guardrail_policy,
    inputVariable,
    contextVariable,
  };
}

/** A template target's prompt and model for one probe, rendered by Prompt Lab. */
export async function templatePrompt(
  prompts: PromptLab,
  caller: { projectId: string; keyId: string | null; actor: string | null; signal?: AbortSignal },
  plan: TemplatePlan,
  probe: Probe,
): Promise<{ prompt: LanguageModelPrompt; model: string }> {
  const variables: Record<string, string> = {};
  if (plan.contextVariable) {
    variables[plan.inputVariable] = probe.attack;
    variables[plan.contextVariable] = probe.context ?? '';
  } else {
    variables[plan.inputVariable] = withContext(probe);
  }
  const rendered = await prompts.render(caller, {
    prompt: plan.ref,
    variables,
    ...(plan.model ? { model: plan.model } : {}),
  });
  let prompt: LanguageModelPrompt =
    rendered.prompt.type === 'text'
      ? { type: 'text', text: rendered.prompt.text }
      : { type: 'chat', messages: rendered.prompt.messages as ChatMessage[] };
  if (probe.system) {
    prompt =
      prompt.type === 'text'
        ? { type: 'text', text: `${probe.system}\n\n${prompt.text}` }
        : { type: 'chat', messages: [{ role: 'system', content: probe.system }, ...prompt.messages] };
  }
  return { prompt, model: rendered.model };
}
