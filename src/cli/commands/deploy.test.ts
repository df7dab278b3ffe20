import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { parseWeights } from './deploy.js';

let keel: TestKeel;
let server: ListeningServer;

const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: keel.adminKey }, args);

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider()] });
  server = await listen(keel.app);
  const caller = {
    projectId: keel.services.installation.defaultProjectId,
    keyId: null,
    actor: 'test',
    role: 'admin',
  };
  await keel.services.prompts.create(caller, {
    name: 'greet',
    template: { mode: 'freeform', text: 'hello {{who}}', model_id: 'echo:reverse' },
  });
  await keel.services.prompts.saveVersion(caller, 'greet', {
    base_version: 1,
    template: { mode: 'freeform', text: 'bye {{who}}', model_id: 'echo:reverse' },
  });
});
afterAll(async () => {
  await server?.close(0);
  await keel?.close();
});

describe('keel deploy', () => {
  it('creates, lists, rolls back and splits', async () => {
    const created = await keelCli(
      '--json',
      'deploy',
      'create',
      'Greeter',
      '--template',
      'greet@1',
      '--serving-name',
      'greeter',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ serving_name: 'greeter', current_version: 1 });

    await keel.services.deployments.update(
      { projectId: keel.services.installation.defaultProjectId, keyId: null, actor: 'test' },
      'greeter',
      { asset: { type: 'prompt_template', ref: 'greet@2' } },
    );
    const listed = await keelCli('deploy', 'list');
    expect(listed.out).toContain('greeter');
    expect(listed.out).toContain('v2');

    const back = await keelCli('--json', 'deploy', 'rollback', 'greeter');
    expect(JSON.parse(back.out).current_version).toBe(1);

    const split = await keelCli('--json', 'deploy', 'split', 'greeter', '1=90', '2=10');
    expect(JSON.parse(split.out).split).toEqual({
      versions: [
        { version: 1, weight: 90 },
        { version: 2, weight: 10 },
      ],
      mode: 'request_id',
    });
    const off = await keelCli('--json', 'deploy', 'split', 'greeter', '--off');
    expect(JSON.parse(off.out).split).toBeNull();
  });

  it('exits with the error code of bad input', async () => {
    const neither = await keelCli('deploy', 'create', 'x');
    expect(neither.code).toBe(2);
    expect(neither.err).toContain('--template');
    const unknownVersion = await keelCli('deploy', 'split', 'greeter', '1=50', '9=50');
    expect(unknownVersion.code).toBe(2);
    const missing = await keelCli('deploy', 'rollback', 'nope');
    expect(missing.code).toBe(4);
    expect(() => parseWeights(['1-90'])).toThrow(/version>=<weight|<version>=<weight>/);
  });
});
