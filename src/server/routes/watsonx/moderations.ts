/**
 * @module server/routes/watsonx/moderations
 * The watsonx `moderations` request object. Until guardrails run in this route, a request that
 * enables a moderation is told so in `system.warnings` rather than silently unprotected.
 */
import type { Moderations } from '../../../api/watsonx.js';
import type { CallWarning } from '../../../spec/warnings.js';

export function moderationWarnings(moderations: Moderations | undefined): CallWarning[] {
  if (!moderations) return [];
  const enabled = (['hap', 'pii'] as const).filter(
    (kind) =>
      moderations[kind]?.input?.enabled !== false &&
      (moderations[kind]?.input || moderations[kind]?.output) &&
      (moderations[kind]?.input?.enabled || moderations[kind]?.output?.enabled),
  );
  return enabled.map((kind) => ({
    type: 'unsupported-setting' as const,
    setting: `moderations.${kind}`,
    message: `moderations.${kind} is not applied on this server.`,
  }));
}
