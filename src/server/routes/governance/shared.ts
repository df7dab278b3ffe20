/**
 * @module server/routes/governance/shared
 * What the governance routes share: error responses, body helpers and the caller.
 */
import { type Hook, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { keelErrorSchema } from '../../../api/platform.js';
import type { AuditRecorder } from '../../../audit/index.js';
import type { GovCaller } from '../../../governance/index.js';
import type { Permission } from '../../../platform/roles.js';
import type { KeelEnv } from '../../context.js';
import { callerOf } from '../../project-scope.js';
import { type ValidationResult, validationHook } from '../../validation-hook.js';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: keelErrorSchema } },
});
export const errors = {
  400: error('Invalid request'),
  403: error('Not allowed'),
  404: error('Not found'),
  409: error('Refused: out of order, changed meanwhile, or evidence missing (issues name what)'),
} as const;
export const ok = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { 'application/json': { schema } } },
  ...errors,
});
export const created = <T extends z.ZodType>(schema: T, description: string) => ({
  201: { description, content: { 'application/json': { schema } } },
  ...errors,
});
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
export const idParam = z.object({ id: z.string().min(1).max(200) });
export const tags = ['Governance'];

/**
 * The caller in its project. Transitions and approvals check roles themselves (and audit each
 * refusal), so they only need `read` here; the role comes from the key or membership, never from
 * the request.
 */
export function govCaller(c: Context<KeelEnv>, permission: Permission): GovCaller {
  const caller = callerOf(c, permission);
  return { projectId: caller.projectId, actor: caller.actor, role: caller.role };
}

// Body fields that would claim an authority the caller's key or membership does not give.
const authorityField = /role|actor|approver|(^|_)by$|^user/i;

/** The fields of a refused body that claim an authority (`approver_role`, `actor`, `approved_by` …). */
function forgedFields(result: ValidationResult): string[] {
  if (result.success || result.target !== 'json') return [];
  const fields: string[] = [];
  for (const issue of result.error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    for (const key of issue.keys) if (authorityField.test(key)) fields.push([...issue.path, key].join('.'));
  }
  return fields;
}

/**
 * The validation of a governance decision's body: one that claims an authority (a forged
 * `approver_role`) is refused with the same 400 as any bad body, and the attempt is audited as
 * `action`, naming the caller (from the request scope), their real role and the forged fields.
 */
export function auditForgedAuthority<Input, Path extends string, Result>(
  audit: AuditRecorder,
  action: string,
): Hook<Input, KeelEnv, Path, Result> {
  const hook = (result: ValidationResult, c: Context<KeelEnv>): void => {
    const forged = forgedFields(result);
    if (forged.length) {
      let caller: GovCaller | undefined;
      try {
        caller = govCaller(c, 'read');
      } catch {
        // Not a member of the project: the 400 (or the route's own 401/403) says enough.
      }
      if (caller) {
        // The raw body comes with a failed result too.
        const body = ((result as { data?: unknown }).data ?? {}) as Record<string, unknown>;
        const assetId =
          c.req.param('id') ?? (typeof body.asset_id === 'string' ? body.asset_id.slice(0, 100) : null);
        audit.record({
          action,
          projectId: caller.projectId,
          target: { type: 'gov_asset', id: assetId },
          detail: { reason: 'forged_field', fields: forged.join(','), role: caller.role },
        });
      }
    }
    validationHook(result);
  };
  return hook as unknown as Hook<Input, KeelEnv, Path, Result>;
}
