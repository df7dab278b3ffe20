/**
 * @module guardrails/request-guard
 * Guardrails in the request path of a generation: the prompt's user and tool messages checked
 * against the input policy (tool results as documents: indirect injection), PII pseudonymised
 * when the policy says so, and the model's output checked — whole or sentence by sentence as it
 * streams — against the output policy.
 */
import type { Span } from '../spec/detector.js';
import type { ChatMessage, LanguageModelPrompt } from '../spec/language-model.js';
import { type Decision, evaluate } from './evaluate.js';
import type { DirectionPolicy, PolicyBody, PolicyOverride } from './policy.js';
import { Pseudonymizer } from './pseudonymizer.js';

export interface GuardrailRequest {
  policyName: string;
  policy: PolicyBody;
  /** The caller's role may see pseudonymised values restored in the output. */
  restore: boolean;
  /** Where a request-level policy asked to loosen the project's, applied or refused. */
  overrides?: PolicyOverride[];
}

export interface GuardrailOutcome {
  policy: string;
  blocked: 'input' | null;
  input: (Decision & { part?: number })[];
  output: Decision[];
  /** Id of the sealed placeholder mapping, when values were pseudonymised. */
  mappingId?: string;
  /** Loosenings of the project's policy the request asked for (see GuardrailRequest). */
  overrides?: PolicyOverride[];
}

export interface GuardedInput {
  prompt: LanguageModelPrompt;
  blocked: boolean;
  decisions: (Decision & { part?: number })[];
  pseudonymizer: Pseudonymizer;
}

/** Finds model-backed PII spans in a text before the rules run (the optional NER model). */
export type ModelSpans = (text: string, mode: 'prompt' | 'document') => Promise<Span[]>;

export async function guardPrompt(
  prompt: LanguageModelPrompt,
  policy: DirectionPolicy,
  hashKey: Buffer,
  modelSpans?: ModelSpans,
): Promise<GuardedInput> {
  const pseudonymizer = new Pseudonymizer();
  const decisions: (Decision & { part?: number })[] = [];
  let blocked = false;
  const check = async (text: string, part: number | undefined, mode: 'prompt' | 'document') => {
    const extraSpans = modelSpans ? await modelSpans(text, mode) : [];
    const evaluation = evaluate(text, policy, {
      direction: 'input',
      mode,
      hashKey,
      pseudonymizer,
      extraSpans,
    });
    decisions.push(
      ...evaluation.decisions.map((decision) => (part === undefined ? decision : { ...decision, part })),
    );
    if (evaluation.blocked) blocked = true;
    return evaluation.text;
  };
  if (prompt.type === 'text') {
    const text = await check(prompt.text, undefined, 'prompt');
    return { prompt: { type: 'text', text }, blocked, decisions, pseudonymizer };
  }
  // System messages are the application's own; user messages and tool results are checked.
  const messages: ChatMessage[] = [];
  for (const [index, message] of prompt.messages.entries()) {
    if (message.role === 'user')
      messages.push({ ...message, content: await check(message.content, index, 'prompt') });
    else if (message.role === 'tool')
      messages.push({ ...message, content: await check(message.content, index, 'document') });
    else messages.push(message);
  }
  return { prompt: { type: 'chat', messages }, blocked, decisions, pseudonymizer };
}
