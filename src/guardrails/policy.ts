/**
 * @module guardrails/policy
 * Guardrail policies: for input and for output, each detector's threshold and action — block,
 * mask, pseudonymise or flag — optionally per entity type or category. The same schema validates
 * stored policies, request-level policies and the watsonx `moderations` object once converted.
 */
import { z } from 'zod';
import type { Moderations } from '../api/watsonx.js';
import { hapCategories } from './hap/hap-detector.js';
import { injectionTypes } from './injection/injection-detector.js';
import { piiEntityTypes } from './pii/pii-detector.js';

export const actions = ['block', 'mask', 'pseudonymise', 'flag'] as const;
export type GuardAction = (typeof actions)[number];

const threshold = z
  .number({ error: 'threshold must be a number between 0 and 1' })
  .min(0, 'threshold must be at least 0')
  .max(1, 'threshold must be at most 1');

const overrideSchema = z.strictObject({
  threshold: threshold.optional(),
  action: z.enum(actions).optional(),
  enabled: z.boolean().optional(),
});

const detectorPolicy = <Types extends [string, ...string[]]>(
  types: Types,
  defaults: { action: GuardAction; threshold: number; enabled: boolean },
) =>
  z
    .strictObject({
      enabled: z.boolean().default(defaults.enabled),
      threshold: threshold.default(defaults.threshold),
      action: z.enum(actions).default(defaults.action),
      /** Per entity type or category: its own threshold, action, or off. */
      types: z.partialRecord(z.enum(types), overrideSchema).default({}),
    })
    .prefault({});

const piiTypes = piiEntityTypes as [string, ...string[]];
const hapTypes = [...hapCategories] as [string, ...string[]];
const injectionTypeNames = [...injectionTypes] as [string, ...string[]];

/**
 * A trained head (the tuning module's `head:<name>`, optionally `@<version>`) as a HAP or topic
 * detector: the whole text is flagged when the head's calibrated probability of one of `labels`
 * reaches `threshold`. Runs where the model-backed detectors run (inputs and checks).
 */
export const headDetectorSchema = z.strictObject({
  model: z
    .string()
    .regex(
      /^head:[a-z0-9][a-z0-9._-]{0,62}(@[1-9][0-9]{0,8})?$/,
      'model must look like head:<name> or head:<name>@<version>',
    ),
  family: z.enum(['hap', 'topic']).default('hap'),
  labels: z.array(z.string().min(1).max(200)).min(1).max(50),
  threshold: threshold.default(0.5),
  action: z.enum(actions).default('block'),
});
export type HeadDetectorPolicy = z.infer<typeof headDetectorSchema>;

export const directionPolicySchema = z
  .strictObject({
    pii: detectorPolicy(piiTypes, { action: 'mask', threshold: 0.5, enabled: true }),
    hap: detectorPolicy(hapTypes, { action: 'block', threshold: 0.5, enabled: true }),
    injection: detectorPolicy(injectionTypeNames, { action: 'block', threshold: 0.7, enabled: true }),
    heads: z.array(headDetectorSchema).max(8).optional(),
  })
  .prefault({});
export type DirectionPolicy = z.infer<typeof directionPolicySchema>;

export const policyBodySchema = z.strictObject({
  description: z.string().max(2000).optional(),
  input: directionPolicySchema,
  output: directionPolicySchema,
  /** Roles that see pseudonymised values restored in the output. */
  restoreRoles: z.array(z.enum(['admin', 'editor', 'validator', 'viewer'])).default(['admin', 'editor']),
  /**
   * Roles whose request-level policy (watsonx `moderations`) may loosen this one: switch a check
   * off, raise a threshold or soften an action. Everyone else's request policy can only add
   * checks or tighten them. Empty by default; each loosening is recorded either way.
   */
  allowRequestOverrides: z.array(z.enum(['admin', 'editor', 'validator', 'viewer'])).default([]),
});
export type PolicyBody = z.infer<typeof policyBodySchema>;

/** Keel's default: PII masked both ways, HAP blocked both ways, injection blocked on input. */
export function defaultPolicy(): PolicyBody {
  return policyBodySchema.parse({ output: { injection: { enabled: false } } });
}

/**
 * watsonx.ai's `moderations` request object as a policy: each of hap/pii enabled per direction,
 * with HAP's threshold; `mask.remove_entity_value` turns PII masking on. Only what is named is on.
 */
export function policyFromModerations(moderations: Moderations): PolicyBody {
  const direction = (side: 'input' | 'output') => {
    const hap = moderations.hap?.[side];
    const pii = moderations.pii?.[side];
    return {
      hap: {
        enabled: hap?.enabled ?? false,
        ...(hap?.threshold !== undefined ? { threshold: hap.threshold } : {}),
        action: 'block',
      },
      pii: {
        enabled: pii?.enabled ?? false,
        action: moderations.pii?.mask?.remove_entity_value || side === 'output' ? 'mask' : 'block',
        ...(pii?.threshold !== undefined ? { threshold: pii.threshold } : {}),
      },
      injection: { enabled: false },
    };
  };
  return policyBodySchema.parse({ input: direction('input'), output: direction('output') });
}

/** The threshold, action and switch that apply to one span type. */
export function ruleFor(
  policy: DirectionPolicy,
  detectorName: 'pii' | 'hap' | 'injection',
  type: string,
): { enabled: boolean; threshold: number; action: GuardAction } {
  const base = policy[detectorName];
  const override = (
    base.types as Record<string, { threshold?: number; action?: GuardAction; enabled?: boolean } | undefined>
  )[type];
  return {
    enabled: base.enabled && (override?.enabled ?? true),
    threshold: override?.threshold ?? base.threshold,
    action: override?.action ?? base.action,
  };
}

/** How strongly each action holds a span back: block > mask > pseudonymise (restorable) > flag. */
const strictness: Record<GuardAction, number> = { flag: 0, pseudonymise: 1, mask: 2, block: 3 };

type Rule = { enabled: boolean; threshold: number; action: GuardAction };

/** The stricter of two rules: enabled wins, the lower threshold wins, the stricter action wins. */
function stricter(a: Rule, b: Rule): Rule {
  if (!a.enabled) return b;
  if (!b.enabled) return a;
  return {
    enabled: true,
    threshold: Math.min(a.threshold, b.threshold),
    action: strictness[a.action] >= strictness[b.action] ? a.action : b.action,
  };
}

/** One way a request-level policy asked for less than the project's policy. */
export interface PolicyOverride {
  direction: 'input' | 'output';
  detector: 'pii' | 'hap' | 'injection';
  /** The entity type or category, when the loosening is for one type only. */
  type?: string;
  setting: 'enabled' | 'threshold' | 'action';
  project: boolean | number | string;
  requested: boolean | number | string;
  /** True when the caller's role may loosen (`allowRequestOverrides`) and the request's value applied. */
  applied: boolean;
}

/** What a request-level policy names, detector by detector; what it leaves out it does not ask for. */
export type RequestedPolicy = Partial<
  Record<'input' | 'output', Partial<Record<'pii' | 'hap' | 'injection', Partial<Rule>>>>
>;

/** The settings watsonx `moderations` name (the same reading as policyFromModerations). */
export function requestedFromModerations(moderations: Moderations): RequestedPolicy {
  const requested: RequestedPolicy = {};
  for (const side of ['input', 'output'] as const) {
    const hap = moderations.hap?.[side];
    const pii = moderations.pii?.[side];
    const direction: NonNullable<RequestedPolicy['input']> = {};
    if (hap)
      direction.hap = {
        enabled: hap.enabled ?? false,
        action: 'block',
        ...(hap.threshold !== undefined ? { threshold: hap.threshold } : {}),
      };
    if (pii)
      direction.pii = {
        enabled: pii.enabled ?? false,
        action: moderations.pii?.mask?.remove_entity_value || side === 'output' ? 'mask' : 'block',
        ...(pii.threshold !== undefined ? { threshold: pii.threshold } : {}),
      };
    if (hap || pii) requested[side] = direction;
  }
  return requested;
}

/** Every detector setting of a whole policy, as a request that names them all. */
export function requestedFromBody(body: PolicyBody): RequestedPolicy {
  const side = (policy: DirectionPolicy) =>
    Object.fromEntries(
      detectorNames.map((name) => [
        name,
        { enabled: policy[name].enabled, threshold: policy[name].threshold, action: policy[name].action },
      ]),
    );
  return { input: side(body.input), output: side(body.output) };
}

function loosenings(
  project: Rule,
  requested: Rule,
): Pick<PolicyOverride, 'setting' | 'project' | 'requested'>[] {
  if (!project.enabled) return [];
  if (!requested.enabled) return [{ setting: 'enabled', project: true, requested: false }];
  const found: Pick<PolicyOverride, 'setting' | 'project' | 'requested'>[] = [];
  if (requested.threshold > project.threshold)
    found.push({ setting: 'threshold', project: project.threshold, requested: requested.threshold });
  if (strictness[requested.action] < strictness[project.action])
    found.push({ setting: 'action', project: project.action, requested: requested.action });
  return found;
}

const detectorNames = ['pii', 'hap', 'injection'] as const;

/**
 * Combines what a request names with the project's policy. The request may add checks and
 * tighten them; where it would loosen one, the project's rule stays — unless `mayLoosen`, in
 * which case the request's values apply as asked. Either way every loosening is listed in
 * `overrides`. Detectors the request does not name keep the project's rules; who may restore
 * pseudonymised values stays the project's choice.
 */
export function mergeRequestPolicy(
  project: PolicyBody,
  requested: RequestedPolicy,
  mayLoosen: boolean,
): { policy: PolicyBody; overrides: PolicyOverride[] } {
  const overrides: PolicyOverride[] = [];
  const direction = (side: 'input' | 'output'): DirectionPolicy => {
    const merged = { ...project[side] };
    for (const name of detectorNames) {
      const asked = requested[side]?.[name];
      if (!asked) continue;
      const base = project[side][name];
      const baseRule: Rule = { enabled: base.enabled, threshold: base.threshold, action: base.action };
      const askedRule: Rule = { ...baseRule, ...asked };
      const detectorLevel = loosenings(baseRule, askedRule);
      for (const found of detectorLevel)
        overrides.push({ direction: side, detector: name, ...found, applied: mayLoosen });
      if (mayLoosen) {
        merged[name] = { ...base, ...askedRule } as never;
        continue;
      }
      const types: Record<string, Rule> = {};
      for (const type of Object.keys(base.types)) {
        const baseType = ruleFor(project[side], name, type);
        for (const found of loosenings(baseType, askedRule))
          if (!detectorLevel.some((known) => known.setting === found.setting))
            overrides.push({ direction: side, detector: name, type, ...found, applied: false });
        types[type] = stricter(baseType, askedRule);
      }
      merged[name] = { ...stricter(baseRule, askedRule), types } as never;
    }
    return merged;
  };
  return {
    policy: { ...project, input: direction('input'), output: direction('output') },
    overrides,
  };
}
