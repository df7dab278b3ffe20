import { describe, expect, it } from 'vitest';
import { type Decision, evaluateApproval, standing } from './approval-policy.js';

const decision = (
  id: string,
  approver: string,
  verdict: 'go' | 'no_go',
  extra: Partial<Decision> = {},
): Decision => ({
  id,
  decision: verdict,
  approver,
  approver_role: 'validator',
  supersedes: null,
  ...extra,
});

describe('approval policy', () => {
  it('needs one go for limited and minimal tiers, two distinct approvers for high', () => {
    expect(evaluateApproval([decision('a', 'v1', 'go')], 'limited').approved).toBe(true);
    expect(evaluateApproval([decision('a', 'v1', 'go')], null).approved).toBe(true);
    const high = evaluateApproval([decision('a', 'v1', 'go')], 'high');
    expect(high).toMatchObject({ approved: false, missing: [{ code: 'second_approver_missing' }] });
    // The same person twice is still one approver.
    expect(evaluateApproval([decision('a', 'v1', 'go'), decision('b', 'v1', 'go')], 'high').approved).toBe(
      false,
    );
    expect(evaluateApproval([decision('a', 'v1', 'go'), decision('b', 'v2', 'go')], 'high').approved).toBe(
      true,
    );
  });

  it('counts only validators and admins, never a prohibited use, and any standing no-go blocks', () => {
    expect(
      evaluateApproval([decision('a', 'e1', 'go', { approver_role: 'editor' })], 'minimal').approved,
    ).toBe(false);
    expect(evaluateApproval([decision('a', 'v1', 'go')], 'prohibited').missing[0]!.code).toBe(
      'use_case_prohibited',
    );
    const blocked = evaluateApproval([decision('a', 'v1', 'go'), decision('b', 'v2', 'no_go')], 'limited');
    expect(blocked.missing.map((item) => item.code)).toEqual(['approval_no_go']);
  });

  it('lets a later decision supersede an earlier one', () => {
    const decisions = [decision('a', 'v1', 'no_go'), decision('b', 'v1', 'go', { supersedes: 'a' })];
    expect(standing(decisions).map((d) => d.id)).toEqual(['b']);
    expect(evaluateApproval(decisions, 'limited').approved).toBe(true);
  });
});
