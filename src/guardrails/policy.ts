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

export const directionPolicySchema = z
  .strictObject({
    pii: detectorPolicy(piiTypes, { action: 'mask', threshold: 0.5, enabled: true }),
    hap: detectorPolicy(hapTypes, { action: 'block', threshold: 0.5, enabled: true }),
    injection: detectorPolicy(injectionTypeNames, { action: 'block', threshold: 0.7, enabled: true }),
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
 * Combines a request-level policy with the project's. The request may add checks and tighten
 * them; where it would loosen one, the project's rule stays — unless `mayLoosen`, in which case
 * the request's policy applies as asked. Either way every loosening is listed in `overrides`.
 * Who may restore pseudonymised values stays the project's choice.
 */
export function mergeRequestPolicy(
  project: PolicyBody,
  requested: PolicyBody,
  mayLoosen: boolean,
): { policy: PolicyBody; overrides: PolicyOverride[] } {
  const overrides: PolicyOverride[] = [];
  const direction = (side: 'input' | 'output'): DirectionPolicy => {
    const merged = {} as DirectionPolicy;
    for (const name of detectorNames) {
      const base = project[side][name];
      const asked = requested[side][name];
      const baseRule = { enabled: base.enabled, threshold: base.threshold, action: base.action };
      const askedRule = { enabled: asked.enabled, threshold: asked.threshold, action: asked.action };
      const detectorLevel = loosenings(baseRule, askedRule);
      for (const found of detectorLevel)
        overrides.push({ direction: side, detector: name, ...found, applied: mayLoosen });
      const typeNames = new Set([...Object.keys(base.types), ...Object.keys(asked.types)]);
      const types: Record<string, Rule> = {};
      for (const type of typeNames) {
        const baseType = ruleFor(project[side], name, type);
        const askedType = ruleFor(requested[side], name, type);
        for (const found of loosenings(baseType, askedType))
          if (!detectorLevel.some((known) => known.setting === found.setting))
            overrides.push({ direction: side, detector: name, type, ...found, applied: mayLoosen });
        types[type] = stricter(baseType, askedType);
      }
      const rule = stricter(baseRule, askedRule);
      (merged as Record<string, unknown>)[name] = mayLoosen ? asked : { ...rule, types };
    }
    return merged;
  };
  const input = direction('input');
  const output = direction('output');
  return {
    policy: {
      ...project,
      input,
      output,
      restoreRoles: project.restoreRoles,
    },
    overrides,
  };
}
