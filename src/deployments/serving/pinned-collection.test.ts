import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeelClient } from '../../sdk/client.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { apiError, sdkClient } from '../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
let sdk: KeelClient;

/** The echo model answers with its prompt's words reversed: the template's marker shows which settings answered. */
const settings = (marker: string, topK: number) => ({
  retrieval: { top_k: topK },
  answer: {
    model: 'echo:reverse',
    template: `${marker} {{question}} {{contexts}}`,
    min_support: 0,
    verify: 'off' as const,
  },
});

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider()] });
  sdk = sdkClient(keel);
  await sdk.rag.create({ name: 'handbook', config: settings('PINNED', 1) });
  const added = await sdk.rag.addDocuments('handbook', [
    { name: 'one.txt', text: 'The warranty period for engines is two years.' },
    { name: 'two.txt', text: 'The warranty period for wheels is one year.' },
    { name: 'three.txt', text: 'The warranty period for doors is three years.' },
  ]);
  await sdk.rag.waitForJob('handbook', added.job!.id);
});
afterAll(async () => {
  await keel?.close();
});

describe('a deployment pinning a collection configuration version', () => {
  it('keeps answering with the pinned retrieval and answer settings after the collection changes', async () => {
    const deployment = await sdk.deployments.create({
      name: 'Handbook',
      serving_name: 'handbook-bot',
      asset: { type: 'rag_collection', ref: 'handbook' },
    });
    expect(deployment.versions[0]!.asset).toMatchObject({ type: 'rag_collection', version: 1 });
    const question = { variables: { question: 'What is the warranty period?' } };
    const before = await sdk.deployments.invoke('handbook-bot', question);
    expect(before.answer!.contexts).toHaveLength(1);
    expect(before.answer!.answer).toContain('PINNED');

    await sdk.rag.configure('handbook', settings('CURRENT', 3), 'more passages, new template');
    // The collection itself answers with its new settings…
    const direct = await sdk.rag.ask('handbook', { question: 'What is the warranty period?' });
    expect(direct.contexts).toHaveLength(3);
    expect(direct.answer).toContain('CURRENT');
    // …the deployment with the version it pinned.
    const after = await sdk.deployments.invoke('handbook-bot', question);
    expect(after.answer!.contexts).toHaveLength(1);
    expect(after.answer!.answer).toContain('PINNED');
    expect(after.answer!.answer).not.toContain('CURRENT');
  });

  it('streams with the pinned settings too', async () => {
    const { events } = await keel.services.deployments.stream(
      {
        projectId: keel.services.installation.defaultProjectId,
        keyId: null,
        actor: 'test',
        role: 'admin',
      },
      'handbook-bot',
      { variables: { question: 'What is the warranty period?' }, requestId: 's1', endpoint: 'test' },
    );
    let text = '';
    for await (const event of events) if (event.type === 'delta') text += event.text;
    expect(text).toContain('PINNED');
  });

  it('pins an older configuration version by name@N, and refuses one that does not exist', async () => {
    const pinned = await sdk.deployments.create({
      name: 'Handbook v1',
      serving_name: 'handbook-v1',
      asset: { type: 'rag_collection', ref: 'handbook@1' },
    });
    expect(pinned.versions[0]!.asset).toMatchObject({ version: 1 });
    const answer = await sdk.deployments.invoke('handbook-v1', {
      variables: { question: 'What is the warranty period?' },
    });
    expect(answer.answer!.answer).toContain('PINNED');

    const unknown = await apiError(
      sdk.deployments.create({
        name: 'Handbook v9',
        asset: { type: 'rag_collection', ref: 'handbook@9' },
      }),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.issues?.[0]).toMatchObject({ code: 'unknown_version', path: ['asset', 'ref'] });
  });

  it('answers a coded 409 once the pinned collection (and its versions) is deleted', async () => {
    await sdk.rag.delete('handbook');
    const gone = await apiError(
      sdk.deployments.invoke('handbook-bot', { variables: { question: 'What is the warranty period?' } }),
    );
    expect(gone.status).toBe(409);
    expect(gone.code).toBe('pinned_version_unavailable');
    expect(gone.message).toMatch(/handbook.*configuration version 1/);
  });
});
