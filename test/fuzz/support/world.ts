/**
 * @module test/fuzz/support/world
 * The fixtures of the isolation matrix: two projects (A, the default one, and B), a key of every
 * role in each, a revoked and an expired key, and in project B one object of every kind (template
 * with versions and a label, collection with a document and an ingestion job, experiment, prompt
 * session and run, guardrail policy, member, key). B's objects carry marker strings that appear
 * nowhere in the requests A's keys send, so any of them in an answer to A is a leak.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type Role, roles } from '../../../src/platform/roles.js';
import type { KeelEnv, KeelServices } from '../../../src/server/context.js';
import { TEST_ADMIN_KEY } from '../../../src/testing/test-keel.js';
import { type ApiRequest, send } from './send.js';
import { buildMore, type MoreObjects, moreMarkers } from './world-more.js';

export interface World {
  organizationId: string;
  projectA: string;
  projectB: string;
  keysA: Record<Role, string>;
  keysB: Record<Role, string>;
  /** Admin keys of project B that no longer work. */
  revokedKey: string;
  expiredKey: string;
  /** Objects in project B. */
  b: {
    collection: string;
    collectionId: string;
    documentId: string;
    jobId: string;
    experimentId: string;
    template: string;
    sessionId: string;
    runId: string;
    policy: string;
    userId: string;
    keyId: string;
  } & MoreObjects;
  /** Strings only B's objects hold: none may reach an answer to a key of project A. */
  markers: string[];
  /** Fixtures that could not be built (the server failed): their ids are placeholders. */
  missing: string[];
}

export const markers = {
  projectName: 'bsecret-project-name-7730',
  templateText: 'bsecret-template-text-4417',
  collectionDescription: 'bsecret-collection-desc-9921',
  documentText: 'bsecret-document-text-3380',
  sessionName: 'bsecret-session-name-5512',
  userEmail: 'bsecret-user-6621@example.com',
  keyName: 'bsecret-key-name-2290',
};

async function must(app: OpenAPIHono<KeelEnv>, request: ApiRequest): Promise<Record<string, unknown>> {
  const answer = await send(app, { key: TEST_ADMIN_KEY, ...request });
  if (answer.status >= 300)
    throw new Error(`fixture ${request.method} ${request.path} answered ${answer.status}: ${answer.text}`);
  return (answer.json ?? {}) as Record<string, unknown>;
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`fixture: ${what} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs a fixture step; when the server fails it, notes it and goes on with `fallback`. */
async function step<T>(missing: string[], name: string, fallback: T, build: () => Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (error) {
    missing.push(`${name}: ${String(error).slice(0, 300)}`);
    return fallback;
  }
}

export async function buildWorld(app: OpenAPIHono<KeelEnv>, services: KeelServices): Promise<World> {
  const { organizationId, defaultProjectId: projectA } = services.installation;
  const project = await must(app, {
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: markers.projectName },
  });
  const projectB = project.id as string;
  const keyOf = async (projectId: string, role: Role, expiresAt?: Date) =>
    (
      await services.keys.create({
        organizationId,
        projectId,
        role,
        name: `${role}-of-${projectId === projectB ? 'b' : 'a'}`,
        ...(expiresAt ? { expiresAt } : {}),
      })
    ).secret;
  const keysA = {} as Record<Role, string>;
  const keysB = {} as Record<Role, string>;
  for (const role of roles) {
    keysA[role] = await keyOf(projectA, role);
    keysB[role] = await keyOf(projectB, role);
  }
  const revoked = await services.keys.create({
    organizationId,
    projectId: projectB,
    role: 'admin',
    name: 'gone',
  });
  await services.keys.revoke(projectB, revoked.key.id);
  const expiredKey = await keyOf(projectB, 'admin', new Date(Date.now() - 60_000));

  const inB = { 'x-keel-project': projectB };
  const post = (path: string, body: unknown, method = 'POST') =>
    must(app, { method, path, body, headers: inB });

  const missing: string[] = [];
  const id = (value: Record<string, unknown>, field = 'id') => value[field] as string;

  const template = 'bsecret-template';
  await step(missing, 'template', undefined, async () => {
    await post('/api/v1/prompts', {
      name: template,
      template: { mode: 'freeform', text: `${markers.templateText} {{who}}`, model_id: 'echo:reverse' },
    });
    await post(`/api/v1/prompts/${template}/versions`, {
      template: { mode: 'freeform', text: `${markers.templateText} v2 {{who}}`, model_id: 'echo:reverse' },
      base_version: 1,
    });
    await post(`/api/v1/prompts/${template}/labels/production`, { version: 1 }, 'PUT');
  });
  const sessionId = await step(missing, 'prompt session', 'pss_fuzz_missing', async () =>
    id(
      await post('/api/v1/prompt-sessions', {
        name: markers.sessionName,
        draft: { template: { mode: 'freeform', text: `${markers.templateText} draft` } },
      }),
    ),
  );
  const runId = await step(missing, 'prompt run', 'run_fuzz_missing', async () =>
    id(
      await post('/api/v1/prompt-runs', {
        prompt: template,
        variables: { who: 'B' },
        ...(sessionId.endsWith('_missing') ? {} : { session_id: sessionId }),
      }),
    ),
  );

  const collection = 'bsecret-collection';
  const collectionId = await step(missing, 'collection', 'col_fuzz_missing', async () =>
    id(await post('/api/v1/collections', { name: collection, description: markers.collectionDescription })),
  );
  const { jobId, documentId } = await step(
    missing,
    'document',
    { jobId: 'job_fuzz_missing', documentId: 'doc_fuzz_missing' },
    async () => {
      const added = await post(`/api/v1/collections/${collection}/documents`, {
        documents: [{ name: 'b.txt', text: `${markers.documentText} warranty two years.` }],
      });
      const job = (added.job as { id: string }).id;
      await until('ingestion', async () => {
        const state = await must(app, {
          method: 'GET',
          path: `/api/v1/collections/${collection}/jobs/${job}`,
          headers: inB,
        });
        return state.status === 'succeeded' ? true : undefined;
      });
      const listed = await must(app, {
        method: 'GET',
        path: `/api/v1/collections/${collection}/documents`,
        headers: inB,
      });
      return { jobId: job, documentId: (listed.documents as { id: string }[])[0]!.id };
    },
  );
  const experimentId = await step(missing, 'experiment', 'exp_fuzz_missing', async () => {
    const experiment = await post(`/api/v1/collections/${collection}/experiments`, {
      questions: [{ question: 'how long is the warranty?', passages: ['warranty two years'] }],
      grid: { size: [200], model: ['echo:reverse'] },
    });
    await until('experiment', async () => {
      const state = await must(app, {
        method: 'GET',
        path: `/api/v1/experiments/${experiment.id}`,
        headers: inB,
      });
      return state.status === 'running' ? undefined : true;
    });
    return id(experiment);
  });

  const policy = 'bsecret-policy';
  await step(missing, 'policy', undefined, () => post(`/api/v1/guardrails/policies/${policy}`, {}, 'PUT'));
  const userId = await step(missing, 'user', 'usr_fuzz_missing', async () =>
    id(
      await post('/api/v1/users', {
        email: markers.userEmail,
        password: 'a long enough password',
        role: 'viewer',
      }),
      'user_id',
    ),
  );
  const keyId = await step(missing, 'key', 'key_fuzz_missing', async () =>
    id(await post('/api/v1/keys', { name: markers.keyName, role: 'viewer' })),
  );

  const more = await buildMore(app, projectB, template, (name, fallback, build) =>
    step(missing, name, fallback, build),
  );

  return {
    organizationId,
    projectA,
    projectB,
    keysA,
    keysB,
    revokedKey: revoked.secret,
    expiredKey,
    b: {
      collection,
      collectionId,
      documentId,
      jobId,
      experimentId,
      template,
      sessionId,
      runId,
      policy,
      userId,
      keyId,
      ...more,
    },
    markers: [...Object.values(markers), ...Object.values(moreMarkers)],
    missing,
  };
}
