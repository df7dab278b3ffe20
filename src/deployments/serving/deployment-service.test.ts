import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../core/errors.js';
import type { Caller } from '../../prompts/index.js';
import type { GateResult } from '../../spec/deployment-gate.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { pickVersion } from '../rollout/traffic-split.js';

let keel: TestKeel;
let caller: Caller;

async function rejects(promise: Promise<unknown>): Promise<KeelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error('expected a KeelError');
}

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider()] });
  const projectId = keel.services.installation.defaultProjectId;
  caller = { projectId, keyId: null, actor: 'test', role: 'admin' };
  await keel.services.prompts.create(caller, {
    name: 'greet',
    template: { mode: 'freeform', text: 'hello {{who}} from {{place}}', model_id: 'echo:reverse' },
  });
  await keel.services.prompts.saveVersion(caller, 'greet', {
    base_version: 1,
    template: { mode: 'freeform', text: 'bye {{who}} from {{place}}', model_id: 'echo:reverse' },
  });
});
afterAll(async () => {
  await keel?.close();
});

describe('deployment service', () => {
  it('deploys a template version into the default space and serves it through Prompt Lab', async () => {
    const deployments = keel.services.deployments;
    const deployment = await deployments.create(caller, {
      name: 'greeter',
      servingName: 'greeter',
      asset: { type: 'prompt_template', ref: 'greet@1' },
    });
    expect(deployment.currentVersion).toBe(1);
    expect(deployment.versions[0]!.asset).toMatchObject({
      type: 'prompt_template',
      name: 'greet',
      version: 1,
    });
    const space = await deployments.spaces.get(caller.projectId, deployment.spaceId);
    expect(space).toMatchObject({ name: 'default', stage: 'development' });

    const result = await deployments.invoke(caller, 'greeter', {
      variables: { who: 'kim', place: 'seoul' },
      requestId: 'r1',
      endpoint: 'test',
    });
    expect(result.kind).toBe('prompt_template');
    if (result.kind === 'prompt_template') expect(result.run.output).toBe('seoul from kim hello');
    expect(result.served.version.version).toBe(1);
  });

  it('names a missing or unknown variable in a coded 400', async () => {
    const deployments = keel.services.deployments;
    const missing = await rejects(
      deployments.invoke(caller, 'greeter', { variables: { who: 'kim' }, requestId: 'r', endpoint: 'test' }),
    );
    expect(missing.code).toBe('missing_variable');
    expect(missing.status).toBe(400);
    expect(missing.issues![0]!.path).toEqual(['variables', 'place']);
    const unknown = await rejects(
      deployments.invoke(caller, 'greeter', {
        variables: { who: 'kim', place: 'x', mood: 'glad' },
        requestId: 'r',
        endpoint: 'test',
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.issues![0]).toMatchObject({ code: 'unknown_variable', path: ['variables', 'mood'] });
  });

  it('adds versions, rolls back, and splits traffic deterministically per request id', async () => {
    const deployments = keel.services.deployments;
    const updated = await deployments.update(caller, 'greeter', {
      asset: { type: 'prompt_template', ref: 'greet@2' },
    });
    expect(updated.currentVersion).toBe(2);
    const variables = { who: 'a', place: 'b' };
    const second = await deployments.invoke(caller, 'greeter', {
      variables,
      requestId: 'x',
      endpoint: 'test',
    });
    expect(second.served.version.version).toBe(2);

    const rolledBack = await deployments.rollback(caller, 'greeter');
    expect(rolledBack.currentVersion).toBe(1);

    const split = await deployments.split(caller, 'greeter', {
      versions: [
        { version: 1, weight: 50 },
        { version: 2, weight: 50 },
      ],
      mode: 'request_id',
    });
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const requestId = `req-${i}`;
      const served = await deployments.prepare(caller.projectId, 'greeter', requestId);
      expect(served.version.version).toBe(pickVersion(split.split!, requestId));
      const again = await deployments.prepare(caller.projectId, 'greeter', requestId);
      expect(again.version.version).toBe(served.version.version);
      seen.add(served.version.version);
    }
    expect([...seen].sort()).toEqual([1, 2]);

    const badSplit = await rejects(
      deployments.split(caller, 'greeter', {
        versions: [
          { version: 1, weight: 1 },
          { version: 9, weight: 1 },
        ],
        mode: 'random',
      }),
    );
    expect(badSplit.code).toBe('invalid_request');
    expect(badSplit.issues![0]!.path).toEqual(['versions', 1, 'version']);
    await deployments.split(caller, 'greeter', null);
  });

  it('refuses unapproved assets in production and stops serving once approval is revoked', async () => {
    const deployments = keel.services.deployments;
    let approved = false;
    const previous = deployments.gate;
    deployments.setGate({
      specificationVersion: 'v1',
      check: (): GateResult =>
        approved
          ? { ok: true }
          : { ok: false, issues: [{ code: 'not_approved', path: ['asset'], message: 'no approval' }] },
    });
    try {
      await deployments.createSpace(caller.projectId, 'test', { name: 'prod', stage: 'production' });
      const refused = await rejects(
        deployments.create(caller, {
          space: 'prod',
          name: 'p',
          asset: { type: 'prompt_template', ref: 'greet@1' },
        }),
      );
      expect(refused.code).toBe('asset_not_approved');
      expect(refused.status).toBe(403);

      approved = true;
      await deployments.create(caller, {
        space: 'prod',
        name: 'p',
        servingName: 'prod-greeter',
        asset: { type: 'prompt_template', ref: 'greet@1' },
      });
      const variables = { who: 'a', place: 'b' };
      await deployments.invoke(caller, 'prod-greeter', { variables, requestId: '1', endpoint: 'test' });
      approved = false;
      const revoked = await rejects(
        deployments.invoke(caller, 'prod-greeter', { variables, requestId: '2', endpoint: 'test' }),
      );
      expect(revoked.code).toBe('asset_not_approved');
    } finally {
      deployments.setGate(previous);
    }
  });

  it("wires governance's gate: a tracked, unapproved template cannot go to production", async () => {
    const governance = keel.services.governance;
    const gov = { projectId: caller.projectId, actor: 'test', role: 'admin' as const };
    const useCase = await governance.inventory.createUseCase(gov, {
      name: 'greeting',
      purpose: '',
      tags: [],
    });
    await governance.inventory.trackAsset(
      gov,
      { use_case_id: useCase.id, kind: 'prompt_template', ref: 'greet', version: 2 },
      null,
    );
    await keel.services.deployments.createSpace(caller.projectId, 'test', {
      name: 'live',
      stage: 'production',
    });
    const refused = await rejects(
      keel.services.deployments.create(caller, {
        space: 'live',
        name: 'governed',
        asset: { type: 'prompt_template', ref: 'greet@2' },
      }),
    );
    expect(refused.code).toBe('asset_not_approved');
    expect(refused.issues?.length).toBeGreaterThan(0);
  });

  it('answers 410 by id and 404 by name once deleted', async () => {
    const deployments = keel.services.deployments;
    const deployment = await deployments.create(caller, {
      name: 'short-lived',
      servingName: 'short-lived',
      asset: { type: 'prompt_template', ref: 'greet' },
    });
    await deployments.delete(caller, deployment.id);
    const byId = await rejects(deployments.prepare(caller.projectId, deployment.id, 'r'));
    expect(byId.code).toBe('deployment_gone');
    expect(byId.status).toBe(410);
    const byName = await rejects(deployments.prepare(caller.projectId, 'short-lived', 'r'));
    expect(byName.code).toBe('deployment_not_found');
    expect(byName.status).toBe(404);
  });
});
