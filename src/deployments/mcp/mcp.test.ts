import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../prompts/index.js';
import { type ListeningServer, listen } from '../../server/listen.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { sdkClient } from '../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
let server: ListeningServer;
let caller: Caller;

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: 'keel-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider()] });
  const projectId = keel.services.installation.defaultProjectId;
  caller = { projectId, keyId: null, actor: 'test', role: 'admin' };
  await keel.services.prompts.create(caller, {
    name: 'greet',
    template: { mode: 'freeform', text: 'hello {{who}} from {{place}}', model_id: 'echo:reverse' },
  });
  await keel.services.deployments.create(caller, {
    name: 'greeter',
    description: 'Greets someone from somewhere.',
    asset: { type: 'prompt_template', ref: 'greet@1' },
  });
  const sdk = sdkClient(keel);
  await sdk.rag.create({ name: 'manuals', config: { answer: { model: 'echo:reverse' } } });
  const added = await sdk.rag.addDocuments('manuals', [
    { name: 'warranty.txt', text: 'The warranty lasts two years from the date of purchase.' },
  ]);
  await sdk.rag.waitForJob('manuals', added.job!.id);
  server = await listen(keel.app);
});

afterAll(async () => {
  await server?.close(100);
  await keel?.close();
});

describe('Keel as an MCP server', () => {
  it('lists deployments (input schema = prompt variables) and collection search and ask as tools', async () => {
    const client = await connect(keel.adminKey);
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual(['ask_manuals', 'deployment_greeter', 'search_manuals']);
    expect(byName.deployment_greeter!.description).toBe('Greets someone from somewhere.');
    expect(byName.deployment_greeter!.inputSchema).toMatchObject({
      type: 'object',
      properties: { who: { type: 'string' }, place: { type: 'string' } },
      required: ['who', 'place'],
    });
    await client.close();
  });

  it('calls a deployment, searches and asks a collection', async () => {
    const client = await connect(keel.adminKey);
    const greeted = await client.callTool({
      name: 'deployment_greeter',
      arguments: { who: 'kim', place: 'seoul' },
    });
    expect(greeted.isError).toBeFalsy();
    expect(greeted.content).toEqual([{ type: 'text', text: 'seoul from kim hello' }]);

    const found = await client.callTool({ name: 'search_manuals', arguments: { query: 'warranty years' } });
    expect((found.content as { text: string }[])[0]!.text).toContain('two years');
    const asked = await client.callTool({
      name: 'ask_manuals',
      arguments: { question: 'How long is the warranty?' },
    });
    expect(asked.isError).toBeFalsy();
    expect(asked.structuredContent).toHaveProperty('status');
    await client.close();
  });

  it('answers tool mistakes as coded tool errors, and refuses unauthenticated callers', async () => {
    const client = await connect(keel.adminKey);
    const missing = await client.callTool({ name: 'deployment_greeter', arguments: { who: 'kim' } });
    expect(missing.isError).toBe(true);
    expect((missing.content as { text: string }[])[0]!.text).toMatch(/^missing_variable: /);
    const unknown = await client.callTool({ name: 'deployment_nobody', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect((unknown.content as { text: string }[])[0]!.text).toMatch(/^not_found: /);
    await client.close();

    const anonymous = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    await expect(connect('keel_not_a_real_key_0123456789')).rejects.toThrow();
  });

  it('counts a deployment tool call on the ledger and honours keys scoped to deployments', async () => {
    const { deployment } = await keel.services.deployments.get(caller.projectId, 'greeter');
    const { key, secret } = await keel.services.keys.create({
      organizationId: (await keel.services.keys.authenticate(keel.adminKey))!.organizationId,
      projectId: caller.projectId,
      name: 'mcp-scoped',
      role: 'editor',
    });
    await keel.services.limits.setKeyScope(caller.projectId, key.id, ['dep_other']);
    const scoped = await connect(secret);
    const refused = await scoped.callTool({
      name: 'deployment_greeter',
      arguments: { who: 'a', place: 'b' },
    });
    expect(refused.isError).toBe(true);
    expect((refused.content as { text: string }[])[0]!.text).toMatch(
      /^forbidden: .*scoped to other deployments/,
    );
    await scoped.close();

    await keel.services.limits.setKeyScope(caller.projectId, key.id, [deployment.id]);
    await keel.services.limits.set(caller.projectId, {
      scopeType: 'deployment',
      scopeId: deployment.id,
      metric: 'requests_per_minute',
      limit: 1,
    });
    const allowed = await connect(secret);
    const first = await allowed.callTool({ name: 'deployment_greeter', arguments: { who: 'a', place: 'b' } });
    expect(first.isError).toBeFalsy();
    const second = await allowed.callTool({
      name: 'deployment_greeter',
      arguments: { who: 'a', place: 'b' },
    });
    expect(second.isError).toBe(true);
    expect((second.content as { text: string }[])[0]!.text).toMatch(
      /^rate_limited: The deployment requests per minute/,
    );
    await allowed.close();
    // The deployment's own routes count on the same limit (the deployment service runs under it).
    await expect(
      keel.services.deployments.invoke(caller, 'greeter', {
        variables: { who: 'a', place: 'b' },
        requestId: 'r-direct',
        endpoint: 'test',
      }),
    ).rejects.toMatchObject({ code: 'rate_limited' });
  });
});
