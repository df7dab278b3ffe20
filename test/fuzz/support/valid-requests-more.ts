/**
 * @module test/fuzz/support/valid-requests-more
 * Well-formed requests for the newer modules (evaluations, governance, deployments, data), aimed
 * at project B's objects: bodies, path parameters and queries, used by `valid-requests.ts`.
 */
import builtinQuestionnaire from '../../../src/governance/risk/questionnaires/default.json' with {
  type: 'json',
};
import type { World } from './world.js';
import { benignAnswers } from './world-more.js';

let counter = 0;
const fresh = (stem: string) => `${stem}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function moreBodyFor(key: string, world: World): unknown {
  const { b, projectB } = world;
  switch (key) {
    case 'POST /api/v1/datasets':
      return { name: fresh('fuzz-dataset'), rows: [{ question: 'q', answer: 'a' }] };
    case 'POST /api/v1/evaluations':
      return {
        target: { kind: 'model', model: 'echo:reverse' },
        dataset: b.dataset,
        metrics: ['exact_match'],
      };
    case 'POST /api/v1/metrics/compute':
      return { metric: 'exact_match', predictions: ['a b'], references: ['a b'] };
    case 'POST /api/v1/red-team/runs':
      return { target: { type: 'model', model: 'echo:reverse' }, limit: 1 };

    case 'POST /api/v1/use-cases':
      return { name: fresh('fuzz use case'), purpose: 'fuzzing', approach: { name: 'prompted' } };
    case 'PATCH /api/v1/use-cases/{id}':
      return { purpose: 'patched by the fuzz suite' };
    case 'POST /api/v1/use-cases/{id}/approaches':
      return { name: fresh('approach') };
    case 'POST /api/v1/assets':
      // B's template is tracked already (a fixture); its collection is not.
      return { use_case_id: b.useCaseId, kind: 'rag_collection', ref: b.collectionId };
    case 'POST /api/v1/assets/{id}/validation-report':
      return { summary: 'looks fine', passed: true };
    case 'POST /api/v1/assets/{id}/transitions':
      return { to: 'develop' };
    case 'POST /api/v1/approvals':
      return { asset_id: b.assetId, decision: 'go', reasons: 'fine' };
    case 'PUT /api/v1/risk-assessments/questionnaire':
      return builtinQuestionnaire;
    case 'POST /api/v1/risk-assessments':
      return { use_case_id: b.useCaseId, answers: benignAnswers };

    case 'POST /api/v1/spaces':
      return { name: fresh('fuzz-space') };
    case 'PATCH /api/v1/spaces/{id}':
      return { description: 'patched by the fuzz suite' };
    case 'POST /api/v1/deployments':
      return {
        space: b.space,
        name: fresh('fuzz deployment'),
        asset: { type: 'prompt_template', ref: b.template },
        model: 'echo:reverse',
      };
    case 'PATCH /api/v1/deployments/{id}':
      return { description: 'patched by the fuzz suite' };
    case 'POST /api/v1/deployments/{id}/rollback':
      return {};
    case 'PUT /api/v1/deployments/{id}/split':
      return {
        versions: [
          { version: 1, weight: 1 },
          { version: 2, weight: 1 },
        ],
      };
    case 'POST /mcp':
      return { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    case 'POST /api/v1/deployments/{id}/invoke':
      return { variables: { who: 'you' } };
    case 'PUT /api/v1/limits':
      return { scope_type: 'project', scope_id: projectB, metric: 'requests_per_minute', limit: 100_000 };
    case 'PUT /api/v1/limits/keys/{id}/deployments':
      return { deployments: null };
    case 'POST /api/v1/monitors':
      return { name: fresh('fuzz-monitor'), kind: 'traffic', enabled: false };
    case 'PATCH /api/v1/monitors/{id}':
      return { enabled: false };
    case 'PATCH /api/v1/incidents/{id}':
      return { note: 'seen' };
    case 'POST /v2/spaces':
      return { name: fresh('fuzz-wx-space') };
    case 'PATCH /v2/spaces/{space_id}':
    case 'PATCH /ml/v4/deployments/{deployment_id}':
      return [{ op: 'replace', path: '/description', value: 'patched' }];
    case 'POST /ml/v4/deployments':
      return {
        name: fresh('fuzz wx deployment'),
        online: {},
        space_id: b.spaceId,
        prompt_template: { id: b.template },
        base_model_id: 'echo:reverse',
      };
    case 'POST /ml/v1/deployments/{id_or_name}/text/generation':
    case 'POST /ml/v1/deployments/{id_or_name}/text/generation_stream':
      return { parameters: { prompt_variables: { who: 'you' } } };
    case 'POST /ml/v1/deployments/{id_or_name}/text/chat':
    case 'POST /ml/v1/deployments/{id_or_name}/text/chat_stream':
      return { messages: [{ role: 'user', content: 'hello' }], prompt_variables: { who: 'you' } };

    case 'POST /ml/v4/models':
      return { name: fresh('fuzz model'), type: 'custom_foundation_model_1.0', project_id: projectB };
    case 'PATCH /ml/v4/models/{model_id}':
      return [{ op: 'replace', path: '/description', value: 'patched' }];
    case 'POST /wx/v1-beta/utility_agent_tools/run':
    case 'POST /v1-beta/utility_agent_tools/run':
      return { tool_name: 'RAGQuery', input: 'warranty' };
    case 'POST /wx/v1-beta/utility_agent_tools/run/{tool_id}':
    case 'POST /v1-beta/utility_agent_tools/run/{tool_id}':
      return { input: 'warranty' };
    case 'POST /ml/v1/text/extractions':
      return {
        document_reference: { type: 'container', location: { file_name: 'fuzz-no-such-file.pdf' } },
        results_reference: { type: 'container', location: { file_name: 'fuzz-result.json' } },
        project_id: projectB,
      };
    // Training-spec exports of project B's dataset (a Keel extension of the data reference).
    case 'POST /ml/v4/trainings':
      return {
        name: fresh('fuzz training'),
        results_reference: { type: 'container', location: { path: 'fuzz-exports' } },
        training_data_references: [{ type: 'container', location: { dataset: b.dataset } }],
        prompt_tuning: { base_model: { model_id: 'google/flan-t5-xl' }, task_id: 'generation' },
        project_id: projectB,
      };
    case 'POST /ml/v1/fine_tunings':
      return {
        name: fresh('fuzz fine-tuning'),
        results_reference: { type: 'container', location: { path: 'fuzz-exports' } },
        training_data_references: [{ type: 'container', location: { dataset: b.dataset } }],
        parameters: { base_model: { model_id: 'org/base' }, peft_parameters: { type: 'lora' } },
        project_id: projectB,
      };
    case 'POST /ml/v1/text/classifications':
      return {
        document_reference: { type: 'container', location: { file_name: 'fuzz-no-such-file.pdf' } },
        parameters: {
          semantic_config: { schemas: [{ document_type: 'Memo', document_description: 'a note' }] },
        },
        project_id: projectB,
      };
    case 'POST /api/v1/tuning/jobs':
      return {
        type: 'head',
        name: fresh('fuzz-head'),
        examples: [
          { text: 'great product', label: 'good' },
          { text: 'broken on arrival', label: 'bad' },
        ],
        options: { max_epochs: 1 },
      };
    case 'POST /api/v1/adapters':
      // No such file under the models directory: refused, even when allowed.
      return { name: fresh('fuzz-adapter'), base_model: 'fuzz-no-such-model', path: 'fuzz-no-such.gguf' };
    case 'POST /api/v1/heads/{name}/classify':
    case 'POST /api/v1/heads/{name}/tag':
      return { texts: ['great product'] };
    case 'POST /api/v1/data/sources':
      // A path outside every allowed folder: refused, even when allowed.
      return { name: fresh('fuzz_source').replace(/-/g, '_'), path: 'no-such-folder/fuzz.csv' };
    case 'PATCH /api/v1/data/tables/{name}':
      return { description: 'patched by the fuzz suite' };
    case 'POST /api/v1/data/tables/{name}/descriptions/draft':
      // No such model: refused, even when allowed.
      return { model: 'fuzz:unknown-model', language: 'ko' };
    case 'POST /api/v1/data/tables/{name}/descriptions/draft/accept':
      // No draft waits: not_found, even when allowed.
      return { description: 'accepted by the fuzz suite' };
    case 'POST /api/v1/data/query':
      return { sql: 'SELECT 1 AS one' };
    case 'POST /api/v1/data/query/page':
      // A token this server never signed: refused with invalid_page_token.
      return { page_token: 'e30.fuzz' };
    case 'POST /api/v1/data/ask':
      return { question: 'How many rows?', model: 'fuzz:unknown-model' };
    case 'PUT /api/v1/data/tables/{name}/columns/{column}/tags':
      return { tags: ['pii'] };
    case 'POST /api/v1/data/masking-policies':
      return { tag: 'pii', method: 'redact', roles: ['viewer'] };
    case 'PATCH /api/v1/data/joins/{id}':
      return { status: 'accepted' };
    case 'POST /api/v1/data/rag-sources':
      // A new query source each time (202: stored, its first sync queued as a job).
      return {
        collection: b.collection,
        query: `SELECT region, amount FROM ${b.dataTable}`,
        name: `fuzz_rows_${(counter++).toString(36)}`,
        template: '{{region}}: {{amount}}',
      };
    case 'PUT /api/v1/data/rag-sources/{id}/schedule':
      return { schedule: { every_seconds: 3600 } };
    default:
      return undefined;
  }
}

/** The `id`-like path value for the newer routes (undefined: not one of them). */
export function morePathValues(path: string, world: World): Record<string, string> | undefined {
  const { b } = world;
  const at = (prefix: string) => path.startsWith(prefix);
  if (at('/api/v1/datasets/')) return { id: b.dataset };
  if (at('/api/v1/evaluations/')) return { id: b.evaluationId };
  if (at('/api/v1/red-team/runs/')) return { id: 'rtr_fuzz_unknown' };
  if (at('/api/v1/use-cases/')) return { id: b.useCaseId };
  if (at('/api/v1/assets/')) return { id: b.assetId };
  if (at('/api/v1/approvals/')) return { id: 'apr_fuzz_unknown' };
  if (at('/api/v1/risk-assessments/')) return { id: b.assessmentId };
  if (at('/api/v1/factsheets/')) return { useCaseId: b.useCaseId };
  if (at('/api/v1/spaces/')) return { id: b.spaceId };
  if (at('/api/v1/deployments/')) return { id: b.deploymentId };
  if (at('/api/v1/limits/keys/')) return { id: b.keyId };
  if (at('/api/v1/limits/')) return { id: 'lim_fuzz_unknown' };
  if (at('/api/v1/monitors/')) return { id: b.monitorId };
  if (at('/api/v1/incidents/')) return { id: 'inc_fuzz_unknown' };
  if (at('/v2/spaces/')) return { space_id: b.spaceId };
  if (at('/ml/v4/deployments/')) return { deployment_id: b.deploymentId };
  if (at('/ml/v1/deployments/')) return { id_or_name: b.deploymentId };
  if (at('/api/v1/data/masking-policies/')) return { id: 'dmask_fuzz_unknown' };
  if (at('/api/v1/data/joins/')) return { id: 'djoin_fuzz_unknown' };
  if (at('/api/v1/data/rag-sources/')) return { id: 'drag_fuzz_unknown' };
  if (at('/api/v1/data/')) return { name: b.dataTable, column: 'fuzz_column' };
  if (at('/ml/v4/models/')) return { model_id: 'fuzz_unknown_model' };
  if (at('/api/v1/heads/')) return { name: 'fuzz-unknown-head' };
  if (at('/api/v1/adapters/')) return { name: 'fuzz-unknown-adapter' };
  if (/^\/(wx\/)?v1-beta\/utility_agent_tools\//.test(path)) return { tool_id: 'RAGQuery' };
  if (at('/ml/v1/text/extractions/')) return { id: 'fuzz_unknown_extraction' };
  if (at('/ml/v1/text/classifications/')) return { id: 'fuzz_unknown_classification' };
  if (at('/ml/v4/trainings/') || at('/ml/v1/fine_tunings/')) return { id: 'fuzz_unknown_training' };
  if (at('/api/v1/files/')) return { name: 'fuzz-file.txt' };
  return undefined;
}

export function moreQueryFor(key: string, world: World): Record<string, string> | undefined {
  const { b } = world;
  switch (key) {
    case 'GET /api/v1/evaluations/compare':
      return { a: b.evaluationId, b: b.evaluationId };
    case 'GET /api/v1/assets/gate':
      return { ref: `prompt_template:${b.template}` };
    case 'GET /api/v1/factsheets/{useCaseId}/diff':
      return { from: '1', to: '1' };
    case 'GET /ml/v4/deployments':
    case 'POST /ml/v4/deployments':
    case 'GET /ml/v4/deployments/{deployment_id}':
    case 'PATCH /ml/v4/deployments/{deployment_id}':
    case 'DELETE /ml/v4/deployments/{deployment_id}':
      return { version: '2024-05-01', space_id: b.spaceId };
    default:
      // The repository, tools, extraction, classification and file routes name their project in the query.
      if (
        /^\/(ml\/v4\/(models|trainings)|ml\/v1\/fine_tunings|ml\/v1\/text\/(extractions|classifications))/.test(
          key.split(' ')[1]!,
        )
      )
        return { version: '2024-05-01', project_id: world.projectB };
      if (/^\/((wx\/)?v1-beta\/utility_agent_tools|api\/v1\/files)/.test(key.split(' ')[1]!))
        return { project_id: world.projectB };
      return undefined;
  }
}
