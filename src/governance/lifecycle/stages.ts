/**
 * @module governance/lifecycle/stages
 * The lifecycle of a tracked asset: idea → develop → validate → approve → deploy → monitor →
 * retire, which moves are allowed from each stage, who may make them, and the watsonx phase
 * (Develop / Validate / Operate) each stage belongs to.
 */
import type { Permission } from '../../platform/index.js';

export const stages = ['idea', 'develop', 'validate', 'approve', 'deploy', 'monitor', 'retire'] as const;
export type Stage = (typeof stages)[number];

export type Phase = 'develop' | 'validate' | 'operate';

/** The watsonx.governance phase a stage belongs to. */
export function phaseOf(stage: Stage): Phase {
  if (stage === 'idea' || stage === 'develop') return 'develop';
  if (stage === 'validate' || stage === 'approve') return 'validate';
  return 'operate';
}

/** Allowed next stages. Going back (rework, a change after approval) is allowed; skipping ahead is not. */
export const nextStages: Record<Stage, readonly Stage[]> = {
  idea: ['develop', 'retire'],
  develop: ['validate', 'retire'],
  validate: ['approve', 'develop', 'retire'],
  approve: ['deploy', 'develop', 'validate', 'retire'],
  deploy: ['monitor', 'validate', 'retire'],
  monitor: ['validate', 'retire'],
  retire: [],
};

/**
 * The permission a move needs. Builders (write) move work forward to validation and into
 * production; validators (validate) pass validation or send work back; retiring needs manage.
 */
export function permissionFor(from: Stage, to: Stage): Permission {
  if (to === 'retire') return 'manage';
  if (from === 'validate' && to === 'approve') return 'validate';
  if (to === 'develop' && (from === 'validate' || from === 'approve')) return 'validate';
  return 'write';
}

/** Stages after approval: an asset here has passed the gates (until it changes). */
export const approvedStages: readonly Stage[] = ['deploy', 'monitor'];

export function isStage(value: string): value is Stage {
  return (stages as readonly string[]).includes(value);
}
