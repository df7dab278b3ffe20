/**
 * @module server/routes/watsonx/moderations
 * Guardrail decisions in watsonx's `moderations` result shape: per detector family, the score,
 * whether it was in the input, the position, and the entity or category.
 */
import type { GuardrailOutcome } from '../../../guardrails/request-guard.js';

interface ModerationResult {
  score: number;
  input: boolean;
  position: { start: number; end: number };
  entity: string;
}

export function moderationResults(outcome: GuardrailOutcome | undefined): {
  moderations?: Record<string, ModerationResult[]>;
} {
  if (!outcome || (outcome.input.length === 0 && outcome.output.length === 0)) return {};
  const groups: Record<string, ModerationResult[]> = {};
  const add = (decisions: GuardrailOutcome['output'], input: boolean) => {
    for (const decision of decisions) {
      const family = decision.detector === 'injection' ? 'prompt_injection' : decision.detector;
      groups[family] ??= [];
      groups[family].push({
        score: decision.score,
        input,
        position: { start: decision.start, end: decision.end },
        entity: decision.type,
      });
    }
  };
  add(outcome.input, true);
  add(outcome.output, false);
  return { moderations: groups };
}
