/**
 * @module guardrails/document-screen
 * Retrieved content against a policy's injection rules before it enters a prompt: each text is
 * read as a document (indirect injection), with the policy's input threshold and action per type.
 * A blocked document is left out by the caller; a masked one goes in with the instruction removed;
 * a flagged one goes in unchanged, with its decisions. PII and HAP are not applied here: the
 * prompt the documents become is checked as a whole by the request guard.
 */
import { type Decision, evaluate } from './evaluate.js';
import type { DirectionPolicy } from './policy.js';

export interface ScreenedDocument {
  /** Position of the text in the list given. */
  index: number;
  /** The policy blocks it: leave it out of the prompt. */
  blocked: boolean;
  /** The text to use (instructions masked when the policy masks); the text itself otherwise. */
  text: string;
  decisions: Decision[];
}

/**
 * The documents among `texts` that the policy's injection rules act on, in order; the others are
 * not listed. Without a policy, or with injection off, nothing is read and nothing is listed.
 */
export function screenDocuments(
  texts: readonly string[],
  policy: DirectionPolicy | undefined,
  hashKey?: Buffer,
): ScreenedDocument[] {
  if (!policy?.injection.enabled) return [];
  const injectionOnly: DirectionPolicy = {
    ...policy,
    pii: { ...policy.pii, enabled: false },
    hap: { ...policy.hap, enabled: false },
    heads: undefined,
  };
  const screened: ScreenedDocument[] = [];
  texts.forEach((text, index) => {
    const evaluation = evaluate(text, injectionOnly, {
      direction: 'input',
      mode: 'document',
      ...(hashKey ? { hashKey } : {}),
    });
    if (evaluation.decisions.length)
      screened.push({
        index,
        blocked: evaluation.blocked,
        text: evaluation.blocked ? text : evaluation.text,
        decisions: evaluation.decisions,
      });
  });
  return screened;
}
