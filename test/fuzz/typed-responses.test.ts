import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFuzzKeel, type FuzzKeel, TEST_ADMIN_KEY } from './support/fuzz-keel.js';
import { loadOperations } from './support/load-operations.js';
import { matchesTemplate, type Operation } from './support/openapi-operations.js';
import { requirements } from './support/permissions.js';
import { responseSchema, schemaProblems } from './support/response-schemas.js';
import { send } from './support/send.js';
import { validRequest } from './support/valid-requests.js';
import { buildWorld, type World } from './support/world.js';

let keel: FuzzKeel;
let world: World;
let operations: Operation[];

beforeAll(async () => {
  keel = await createFuzzKeel();
  world = await buildWorld(keel.app, keel.services);
  operations = await loadOperations(keel);
}, 240_000);
afterAll(async () => {
  await keel?.close();
});

/** Operations whose 2xx answer is JSON (streams are checked by their own suites). */
const answersJson = (op: Operation) =>
  Object.entries(op.responses).some(
    ([status, byType]) => status.startsWith('2') && byType['application/json'],
  );

/** Deletions last, the deepest first, so each still finds what it deletes. */
function inOrder(ops: Operation[]): Operation[] {
  const rank = (op: Operation) => (op.method === 'DELETE' ? 1_000 - op.path.length : 0);
  return [...ops].sort((a, b) => rank(a) - rank(b));
}

/** The main resources: their create, list and get must answer 2xx here, not only match if they do. */
const mustAnswer = [
  'GET /health',
  'POST /api/v1/auth/sign-in',
  'GET /api/v1/me',
  'GET /v1/models',
  'GET /api/v1/models',
  'GET /ml/v1/foundation_model_specs',
  'POST /api/v1/keys',
  'GET /api/v1/keys',
  'GET /api/v1/projects',
  'POST /api/v1/projects',
  'GET /api/v1/projects/{id}',
  'GET /api/v1/projects/{id}/members',
  'POST /api/v1/collections',
  'GET /api/v1/collections',
  'GET /api/v1/collections/{id}',
  'POST /api/v1/collections/preview',
  'POST /api/v1/prompts',
  'GET /api/v1/prompts',
  'GET /api/v1/prompts/{prompt}',
  'GET /api/v1/prompts/{prompt}/versions',
  'POST /api/v1/prompts/render',
  'GET /api/v1/prompt-runs',
  'GET /api/v1/prompt-sessions',
  'POST /v1/chat/completions',
  'POST /v1/completions',
  'POST /v1/embeddings',
  'POST /ml/v1/text/generation',
  'POST /ml/v1/text/chat',
  'POST /ml/v1/text/embeddings',
  'POST /ml/v1/text/tokenization',
  'GET /api/v1/usage',
  'POST /api/v1/guardrails/check',
  'GET /api/v1/guardrails/policies',
  'GET /api/v1/guardrails/decisions',
  'POST /api/v1/datasets',
  'GET /api/v1/datasets',
  'GET /api/v1/datasets/{id}',
  'GET /api/v1/datasets/{id}/preview',
  'POST /api/v1/evaluations',
  'GET /api/v1/evaluations',
  'GET /api/v1/evaluations/{id}',
  'GET /api/v1/evaluations/{id}/items',
  'GET /api/v1/metrics',
  'POST /api/v1/metrics/compute',
  'GET /api/v1/red-team/probe-sets',
  'POST /api/v1/red-team/runs',
  'GET /api/v1/red-team/runs',
  'POST /api/v1/use-cases',
  'GET /api/v1/use-cases',
  'GET /api/v1/use-cases/{id}',
  'POST /api/v1/assets',
  'GET /api/v1/assets',
  'GET /api/v1/assets/{id}',
  'GET /api/v1/approvals',
  'GET /api/v1/risk-assessments/questionnaire',
  'POST /api/v1/risk-assessments',
  'GET /api/v1/risk-assessments',
  'GET /api/v1/factsheets/{useCaseId}',
  'POST /api/v1/spaces',
  'GET /api/v1/spaces',
  'GET /api/v1/spaces/{id}',
  'POST /api/v1/deployments',
  'GET /api/v1/deployments',
  'GET /api/v1/deployments/{id}',
  'POST /api/v1/deployments/{id}/invoke',
  'GET /api/v1/limits',
  'POST /api/v1/monitors',
  'GET /api/v1/monitors',
  'GET /api/v1/monitors/{id}',
  'GET /api/v1/alerts',
  'GET /api/v1/incidents',
  'POST /v2/spaces',
  'GET /v2/spaces',
  'GET /v2/spaces/{space_id}',
  'POST /ml/v4/deployments',
  'GET /ml/v4/deployments',
  'GET /ml/v4/deployments/{deployment_id}',
  'POST /ml/v1/deployments/{id_or_name}/text/generation',
  'POST /ml/v1/deployments/{id_or_name}/text/chat',
  'GET /api/v1/data/sources',
  'GET /api/v1/data/tables/{name}',
  'POST /api/v1/data/query',
  'GET /api/v1/data/joins',
  'POST /api/v1/data/joins/discover',
  'GET /api/v1/data/rag-sources',
  'POST /api/v1/data/rag-sources',
];

describe('typed responses', () => {
  it('answers valid requests with JSON that matches the operation’s declared response schema', async () => {
    const mismatches: string[] = [];
    const undeclared: string[] = [];
    const answered = new Map<string, number>();
    for (const op of inOrder(operations.filter(answersJson))) {
      const orgAdmin = requirements[op.key]?.kind === 'org-admin';
      const request = { ...validRequest(op, world), key: orgAdmin ? TEST_ADMIN_KEY : world.keysB.admin };
      const answer = await send(keel.app, request);
      answered.set(op.key, answer.status);
      if (answer.status < 200 || answer.status >= 300 || !answer.contentType.includes('json')) continue;
      const schema = responseSchema(op, answer.status);
      if (!schema) {
        undeclared.push(`${op.key} answered ${answer.status}, which the document does not declare`);
        continue;
      }
      const problems = schemaProblems(schema, answer.json);
      if (problems.length) mismatches.push(`${op.key} ${answer.status}: ${problems.join('; ')}`);
    }
    const notAnswered = mustAnswer
      .filter((key) => {
        const status = answered.get(key);
        return status === undefined || status < 200 || status >= 300;
      })
      .map((key) => `${key}: ${answered.get(key) ?? 'not in the document'}`);
    expect({ mismatches, undeclared, notAnswered }).toEqual({
      mismatches: [],
      undeclared: [],
      notAnswered: [],
    });
  });

  it('documents every path the SDK calls', async () => {
    const sdkDir = path.join(import.meta.dirname, '../../src/sdk');
    const calls: string[] = [];
    for (const file of (await readdir(sdkDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const source = await readFile(path.join(sdkDir, file), 'utf8');
      // request<…>('METHOD', '/path' | `/path/${…}`) and raw('METHOD', …), over line breaks.
      for (const match of source.matchAll(
        /\b(?:request|raw)\s*(?:<[^()]*?>)?\(\s*'([A-Z]+)',\s*(['`])(\/[^'`]*)\2/g,
      ))
        calls.push(`${match[1]} ${match[3]!.replace(/\$\{[^}]*\}/g, 'x').split('?')[0]}`);
    }
    expect(calls.length).toBeGreaterThan(50);
    const missing = calls.filter((call) => {
      const [method, pathname] = call.split(' ') as [string, string];
      return !operations.some((op) => op.method === method && matchesTemplate(op.path, pathname));
    });
    expect(missing).toEqual([]);
  });
});
