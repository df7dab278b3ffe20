/**
 * @module server/guardrails-scope
 * Which guardrail policy a model call runs under: a policy named in the `X-Keel-Guardrail-Policy`
 * header, the template's policy, or the project's `default` policy — none when none of these
 * exists — with watsonx `moderations` in the request merged in. Moderations may add or tighten
 * checks; loosening the project's policy needs the caller's role in its `allowRequestOverrides`.
 * Resolved from memory (GuardrailService caches policies), so a project without one costs nothing.
 */
import type { Context } from 'hono';
import type { Moderations } from '../api/watsonx.js';
import { policyFromModerations, requestedFromModerations } from '../guardrails/policy.js';
import type { GuardrailOutcome, GuardrailRequest } from '../guardrails/request-guard.js';
import type { KeelEnv, KeelServices } from './context.js';
import type { ProjectScope } from './project-scope.js';

export function guardrailsFor(
  c: Context<KeelEnv>,
  services: KeelServices,
  scope: ProjectScope,
  options: { moderations?: Moderations | undefined; templatePolicy?: string | undefined } = {},
): Promise<GuardrailRequest | undefined> {
  return guardrailsNamed(services, scope, c.req.header('x-keel-guardrail-policy'), options);
}

/** The same, given the `X-Keel-Guardrail-Policy` header's value (callers outside Hono). */
export async function guardrailsNamed(
  services: Pick<KeelServices, 'guardrails'>,
  scope: ProjectScope,
  policyHeader: string | undefined,
  options: { moderations?: Moderations | undefined; templatePolicy?: string | undefined } = {},
): Promise<GuardrailRequest | undefined> {
  const named = options.moderations && (options.moderations.hap || options.moderations.pii);
  const resolved = await services.guardrails.resolve(scope.projectId, {
    explicit: named ? policyFromModerations(options.moderations!) : undefined,
    requested: named ? requestedFromModerations(options.moderations!) : undefined,
    name: policyHeader,
    templatePolicy: options.templatePolicy,
    role: scope.role,
  });
  if (!resolved) return undefined;
  return {
    policyName: resolved.name,
    policy: resolved.body,
    restore: resolved.body.restoreRoles.includes(scope.role),
    ...(resolved.overrides ? { overrides: resolved.overrides } : {}),
  };
}

/** Response headers naming the policy applied and, when values were pseudonymised, the sealed mapping. */
export function guardrailHeaders(outcome: GuardrailOutcome | undefined): Record<string, string> | undefined {
  if (!outcome) return undefined;
  return {
    'x-keel-guardrail-policy': outcome.policy,
    ...(outcome.mappingId ? { 'x-keel-pseudonym-mapping': outcome.mappingId } : {}),
    ...(outcome.overrides?.length
      ? { 'x-keel-guardrail-overrides': overridesHeader(outcome.overrides) }
      : {}),
  };
}

/** `input.hap.enabled=refused, output.pii.threshold=applied`: what the request asked to loosen, and whether it did. */
function overridesHeader(overrides: NonNullable<GuardrailOutcome['overrides']>): string {
  return overrides
    .map(
      (override) =>
        `${override.direction}.${override.detector}${override.type ? `.${override.type}` : ''}.${override.setting}=${override.applied ? 'applied' : 'refused'}`,
    )
    .join(', ');
}
