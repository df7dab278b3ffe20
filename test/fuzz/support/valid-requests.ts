/**
 * @module test/fuzz/support/valid-requests
 * A well-formed request for every operation, aimed at project B's objects. The isolation matrix
 * sends them with keys that must be refused (a malformed request would be refused for the wrong
 * reason and prove nothing); the typed-responses suite sends them with B's admin key and holds the
 * answers against the OpenAPI document; the fuzzer mutates them.
 */
import type { Operation } from './openapi-operations.js';
import { fillPath } from './openapi-operations.js';
import type { ApiRequest } from './send.js';
import { moreBodyFor, morePathValues, moreQueryFor } from './valid-requests-more.js';
import { markers, type World } from './world.js';

let counter = 0;
/** A name no earlier request used (creates must not collide with each other). */
const fresh = (stem: string) => `${stem}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

const freeform = { mode: 'freeform', text: 'hello {{who}}', model_id: 'echo:reverse' };

/** Request bodies by operation (`METHOD /path`); operations without a body are absent. */
function bodyFor(key: string, world: World): unknown {
  const projectB = world.projectB;
  switch (key) {
    case 'POST /api/v1/auth/sign-in':
      return { email: markers.userEmail, password: 'a long enough password' };
    case 'POST /api/v1/models/pulls':
      // An unknown catalog id: refused before anything is fetched, even when allowed.
      return { source: 'fuzz-no-such-catalog-model' };
    case 'POST /api/v1/collections':
      return { name: fresh('fuzz-collection') };
    case 'PUT /api/v1/collections/{id}/config':
      return { config: { chunker: { strategy: 'markdown', size: 300, overlap: 0 } }, message: 'fuzz' };
    case 'POST /api/v1/collections/{id}/documents':
      return { documents: [{ name: `${fresh('doc')}.txt`, text: 'Returns are accepted within 30 days.' }] };
    case 'POST /api/v1/collections/{id}/search':
      return { query: 'warranty', top_k: 3, mode: 'keyword' };
    case 'POST /api/v1/collections/{id}/ask':
      return { question: 'How long is the warranty?', model: 'echo:reverse', mode: 'keyword' };
    case 'POST /api/v1/collections/preview':
      return { text: '# Title\n\nSome text to split into chunks.', media_type: 'text/markdown' };
    case 'POST /api/v1/collections/{id}/experiments':
      return {
        questions: [{ question: 'how long is the warranty?', passages: ['warranty two years'] }],
        grid: { size: [200], model: ['echo:reverse'] },
      };
    case 'POST /v1/chat/completions':
      return { model: 'echo:reverse', messages: [{ role: 'user', content: 'hello there' }] };
    case 'POST /v1/completions':
      return { model: 'echo:reverse', prompt: 'hello there' };
    case 'POST /v1/embeddings':
      return { model: 'echo:embed', input: 'hello there' };
    case 'POST /ml/v1/text/rerank':
      return {
        model_id: 'keel/lexical-rerank',
        query: 'warranty',
        inputs: [{ text: 'a warranty' }],
        project_id: projectB,
      };
    case 'POST /ml/v1/time_series/forecast':
      return {
        model_id: 'keel/holt',
        data: { t: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'], y: [1, 2, 3, 4] },
        schema: { timestamp_column: 't' },
        project_id: projectB,
      };
    case 'POST /v2/asset_types/wx_prompt/search':
      return { query: 'asset.asset_type:wx_prompt' };
    case 'POST /wx/v1/prompts':
    case 'POST /v1/prompts':
    case 'PATCH /wx/v1/prompts/{prompt_id}':
    case 'PATCH /v1/prompts/{prompt_id}':
      return {
        name: fresh('fuzz prompt'),
        prompt: { model_id: 'echo:reverse', data: { instruction: 'hi' } },
      };
    case 'PUT /wx/v1/prompts/{prompt_id}/lock':
    case 'PUT /v1/prompts/{prompt_id}/lock':
    case 'PUT /wx/v1/prompt_sessions/{session_id}/lock':
    case 'PUT /v1/prompt_sessions/{session_id}/lock':
      return { locked: false };
    case 'POST /wx/v1/prompts/{prompt_id}/input':
    case 'POST /v1/prompts/{prompt_id}/input':
      return {};
    case 'POST /wx/v1/prompts/{prompt_id}/chat_items':
    case 'POST /v1/prompts/{prompt_id}/chat_items':
    case 'POST /wx/v1/prompt_sessions/{session_id}/entries/{entry_id}/chat_items':
    case 'POST /v1/prompt_sessions/{session_id}/entries/{entry_id}/chat_items':
      return [{ type: 'question', content: 'hi' }];
    case 'POST /wx/v1/prompt_sessions':
    case 'POST /v1/prompt_sessions':
    case 'PATCH /wx/v1/prompt_sessions/{session_id}':
    case 'PATCH /v1/prompt_sessions/{session_id}':
      return { name: fresh('fuzz session') };
    case 'POST /wx/v1/prompt_sessions/{session_id}/entries':
    case 'POST /v1/prompt_sessions/{session_id}/entries':
      return { name: 'entry', created_at: 1, prompt: { model_id: 'echo:reverse', data: {} } };
    case 'POST /ml/v1/text/generation':
    case 'POST /ml/v1/text/generation_stream':
    case 'POST /ml/v1/text/tokenization':
      return { input: 'hello there', model_id: 'echo:reverse', project_id: projectB };
    case 'POST /ml/v1/text/chat':
    case 'POST /ml/v1/text/chat_stream':
      return {
        model_id: 'echo:reverse',
        messages: [{ role: 'user', content: 'hello' }],
        project_id: projectB,
      };
    case 'POST /ml/v1/text/embeddings':
      return { inputs: ['hello there'], model_id: 'echo:embed', project_id: projectB };
    case 'POST /ml/v1/text/detection':
      return { input: 'hello there', detectors: { pii: {}, hap: {} }, project_id: projectB };
    case 'POST /api/v1/keys':
      return { name: fresh('key'), role: 'viewer', expires_in: '30d' };
    case 'POST /api/v1/projects':
      return { name: fresh('project') };
    case 'PATCH /api/v1/projects/{id}':
      return { description: 'patched by the fuzz suite' };
    case 'PUT /api/v1/projects/{id}/members/{userId}':
      return { role: 'viewer' };
    case 'POST /api/v1/users':
      return { email: `${fresh('user')}@example.com`, password: 'a long enough password', role: 'viewer' };
    case 'POST /api/v1/prompts/render':
      return { template: freeform, variables: { who: 'you' } };
    case 'POST /api/v1/prompts/{prompt}/render':
    case 'POST /api/v1/prompts/{prompt}/run':
      return { variables: { who: 'you' } };
    case 'POST /api/v1/prompt-runs':
      return { template: freeform, variables: { who: 'you' } };
    case 'POST /api/v1/prompt-runs/{id}/restore':
      return { name: fresh('restored') };
    case 'POST /api/v1/prompts':
      return { name: fresh('fuzz-template'), template: freeform };
    case 'PATCH /api/v1/prompts/{prompt}':
      return { title: 'patched' };
    case 'POST /api/v1/prompts/{prompt}/versions':
      return { template: freeform, base_version: 2 };
    case 'PUT /api/v1/prompts/{prompt}/labels/{label}':
      return { version: 1 };
    case 'POST /api/v1/prompt-sessions':
      return { name: fresh('session'), draft: { template: freeform } };
    case 'PUT /api/v1/prompt-sessions/{id}':
      return { name: fresh('renamed') };
    case 'POST /api/v1/compare':
      return { variants: [{ template: freeform }], models: ['echo:reverse'], inputs: [{ who: 'a' }] };
    case 'POST /api/v1/prompt-samples/load':
      return { ids: [], prefix: fresh('s') };
    case 'POST /api/v1/prompt-files':
      return {
        dry_run: true,
        files: [
          {
            path: 'fuzz.prompt.yaml',
            content:
              'format: keel.prompt-template/v1\nname: fuzz-file\nversions:\n  - version: 1\n    template:\n      mode: freeform\n      text: hi\n',
          },
        ],
      };
    case 'POST /api/v1/guardrails/check':
      return { text: 'hello there' };
    case 'PUT /api/v1/guardrails/policies/{name}':
      return {};
    default:
      return moreBodyFor(key, world);
  }
}

function pathValues(op: Operation, world: World): Record<string, string> {
  const { b } = world;
  const path = op.path;
  const values: Record<string, string> = {
    docId: b.documentId,
    jobId: b.jobId,
    userId: b.userId,
    label: 'production',
    prompt: b.template,
    name: b.policy,
    model: 'echo:reverse',
  };
  if (path.startsWith('/api/v1/collections/')) values.id = b.collection;
  else if (path.startsWith('/api/v1/experiments/')) values.id = b.experimentId;
  else if (path.startsWith('/api/v1/jobs/')) values.id = b.jobId;
  else if (path.startsWith('/api/v1/projects/')) values.id = world.projectB;
  else if (path.startsWith('/api/v1/keys/')) values.id = b.keyId;
  else if (path.startsWith('/api/v1/prompt-runs/')) values.id = b.runId;
  else if (path.startsWith('/api/v1/prompt-sessions/')) values.id = b.sessionId;
  else if (path.startsWith('/api/v1/guardrails/pseudonyms/')) values.id = 'psn_fuzz_unknown';
  else if (path.startsWith('/api/v1/models/pulls/')) values.id = 'pull_fuzz_unknown';
  Object.assign(values, morePathValues(path, world));
  // A parameter this table does not know yet (a new route): an id that exists nowhere.
  for (const name of op.pathParams) values[name] ??= 'fuzz_unknown_id';
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)]));
}

function queryFor(op: Operation, world: World): Record<string, string> | undefined {
  const more = moreQueryFor(op.key, world);
  if (more) return more;
  if (op.key === 'GET /api/v1/audit') return { project_id: world.projectB };
  if (op.path.startsWith('/ml/')) return { version: '2024-05-01' };
  // watsonx prompt assets and sessions name their project in the query.
  if (/^\/(wx\/)?v1\/prompt(s|_sessions)(\/|$)|^\/v2\/asset_types\//.test(op.path))
    return { project_id: world.projectB };
  if (op.key === 'GET /api/v1/prompts/{prompt}/diff') return { from: '1', to: '2' };
  if (op.key === 'GET /api/v1/usage') return { group_by: 'model' };
  return undefined;
}

/** A valid request for `op` in project B (no key set: the caller chooses it). */
export function validRequest(op: Operation, world: World): ApiRequest {
  const body = bodyFor(op.key, world);
  const query = queryFor(op, world);
  // Every route that takes a project from the header gets B's; routes that take it from the body
  // or path already name B.
  return {
    method: op.method,
    path: fillPath(op.path, pathValues(op, world)),
    headers: {
      'x-keel-project': world.projectB,
      // The MCP transport answers only clients that take both JSON and event streams.
      ...(op.path === '/mcp' ? { accept: 'application/json, text/event-stream' } : {}),
    },
    ...(query ? { query } : {}),
    ...(body !== undefined ? { body } : {}),
    // A file's bytes as they are (the only operation whose body is not JSON).
    ...(op.key === 'PUT /api/v1/files/{name}'
      ? { rawBody: 'fuzz file text', contentType: 'application/octet-stream' }
      : {}),
  };
}

/** True for operations whose valid request has a body the table above knows. */
export function hasKnownBody(op: Operation, world: World): boolean {
  return bodyFor(op.key, world) !== undefined;
}
