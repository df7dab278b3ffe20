import { describe, expect, it } from 'vitest';
import { mergeRequestPolicy, policyBodySchema, requestedFromModerations } from './policy.js';

const project = policyBodySchema.parse({
  input: { hap: { threshold: 0.5, action: 'mask' }, pii: { types: { EMAIL_ADDRESS: { enabled: false } } } },
});

describe('mergeRequestPolicy', () => {
  it('lets a request tighten: enabled wins, the lower threshold wins, the stricter action wins', () => {
    const { policy, overrides } = mergeRequestPolicy(
      project,
      { input: { hap: { threshold: 0.3, action: 'block' }, pii: { enabled: true, action: 'block' } } },
      false,
    );
    expect(policy.input.hap).toMatchObject({ enabled: true, threshold: 0.3, action: 'block' });
    expect(policy.input.pii.action).toBe('block');
    // A type the project switched off stays as the project has it unless the request names it.
    expect(policy.input.pii.types.EMAIL_ADDRESS).toMatchObject({ enabled: true, action: 'block' });
    expect(policy.output).toEqual(project.output);
    expect(overrides).toEqual([]);
  });

  it('keeps the project rule where a request loosens, listing each loosening', () => {
    const { policy, overrides } = mergeRequestPolicy(
      project,
      { input: { hap: { threshold: 0.9, action: 'flag' } }, output: { pii: { enabled: false } } },
      false,
    );
    expect(policy.input.hap).toMatchObject({ enabled: true, threshold: 0.5, action: 'mask' });
    expect(policy.output.pii.enabled).toBe(true);
    expect(overrides.map((o) => `${o.direction}.${o.detector}.${o.setting}:${o.applied}`)).toEqual([
      'input.hap.threshold:false',
      'input.hap.action:false',
      'output.pii.enabled:false',
    ]);
  });

  it('applies a loosening when the caller may, still listing it', () => {
    const { policy, overrides } = mergeRequestPolicy(project, { input: { hap: { enabled: false } } }, true);
    expect(policy.input.hap.enabled).toBe(false);
    expect(overrides).toEqual([
      expect.objectContaining({
        detector: 'hap',
        setting: 'enabled',
        applied: true,
        project: true,
        requested: false,
      }),
    ]);
  });

  it('reads only what watsonx moderations name', () => {
    expect(requestedFromModerations({ hap: { input: { enabled: false } } })).toEqual({
      input: { hap: { enabled: false, action: 'block' } },
    });
  });
});
