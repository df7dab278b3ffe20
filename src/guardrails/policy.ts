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
