/**
 * @module test/fuzz/support/permissions
 * What each operation requires, written down independently of the route code: the isolation
 * matrix holds the server to this table. An operation missing here fails the suite, so a new
 * route has to be classified before it ships.
 */
import type { Permission } from '../../../src/platform/roles.js';

export type Requirement =
  /** No key needed. */
  | { kind: 'public' }
  /** Any valid key; answers only about the caller (its own projects, itself). */
  | { kind: 'self' }
  /** A permission in the project the request names (header, body or path). */
  | { kind: 'project'; permission: Permission }
  /** An organisation administrator (the bootstrap key or an org-admin session). */
  | { kind: 'org-admin' };

const project = (permission: Permission): Requirement => ({ kind: 'project', permission });

export const requirements: Record<string, Requirement> = {
  'GET /health': { kind: 'public' },
  'POST /api/v1/auth/sign-in': { kind: 'public' },
  'POST /api/v1/auth/sign-out': { kind: 'self' },
  'GET /api/v1/me': { kind: 'self' },
  'GET /api/v1/projects': { kind: 'self' },
  'POST /api/v1/projects': { kind: 'org-admin' },
  'POST /api/v1/users': { kind: 'org-admin' },
  // The audit trail of a project (`project_id`), for those who review it.
  'GET /api/v1/audit': project('validate'),
  'GET /api/v1/audit/verify': { kind: 'org-admin' },

  'GET /v1/models': project('read'),
  'GET /v1/models/{model}': project('read'),
  'GET /api/v1/models': project('read'),
  'GET /ml/v1/foundation_model_specs': project('read'),
  'POST /api/v1/models/pulls': project('manage'),
  'GET /api/v1/models/pulls': project('manage'),
  'GET /api/v1/models/pulls/{id}': project('manage'),
  'DELETE /api/v1/models/pulls/{id}': project('manage'),
  'GET /api/v1/models/pulls/{id}/events': project('manage'),

  'POST /api/v1/collections': project('write'),
  'GET /api/v1/collections': project('read'),
  'GET /api/v1/collections/{id}': project('read'),
  'DELETE /api/v1/collections/{id}': project('write'),
  'PUT /api/v1/collections/{id}/config': project('write'),
  'GET /api/v1/collections/{id}/config/versions': project('read'),
  'POST /api/v1/collections/{id}/documents': project('write'),
  'GET /api/v1/collections/{id}/documents': project('read'),
  'DELETE /api/v1/collections/{id}/documents/{docId}': project('write'),
  'GET /api/v1/collections/{id}/jobs': project('read'),
  'GET /api/v1/collections/{id}/jobs/{jobId}': project('read'),
  'GET /api/v1/collections/{id}/jobs/{jobId}/events': project('read'),
  'POST /api/v1/collections/{id}/search': project('read'),
  'POST /api/v1/collections/{id}/ask': project('invoke'),
  'POST /api/v1/collections/preview': project('read'),
  'POST /api/v1/collections/{id}/experiments': project('write'),
  'GET /api/v1/collections/{id}/experiments': project('read'),
  'GET /api/v1/experiments/{id}': project('read'),
  'GET /api/v1/jobs': project('read'),
  'GET /api/v1/jobs/{id}': project('read'),
  'GET /api/v1/jobs/{id}/events': project('read'),
  'POST /api/v1/jobs/{id}/cancel': project('write'),
  'POST /api/v1/experiments/{id}/apply': project('write'),

  'POST /v1/chat/completions': project('invoke'),
  'POST /v1/completions': project('invoke'),
  'POST /v1/embeddings': project('invoke'),
  'POST /ml/v1/text/generation': project('invoke'),
  'POST /ml/v1/text/generation_stream': project('invoke'),
  'POST /ml/v1/text/chat': project('invoke'),
  'POST /ml/v1/text/chat_stream': project('invoke'),
  'POST /ml/v1/text/embeddings': project('invoke'),
  'POST /ml/v1/text/tokenization': project('invoke'),
  'POST /ml/v1/text/detection': project('invoke'),

  'POST /api/v1/keys': project('manage'),
  'GET /api/v1/keys': project('manage'),
  'DELETE /api/v1/keys/{id}': project('manage'),
  'GET /api/v1/projects/{id}': project('read'),
  'PATCH /api/v1/projects/{id}': project('manage'),
  'GET /api/v1/projects/{id}/members': project('read'),
  'PUT /api/v1/projects/{id}/members/{userId}': project('manage'),
  'DELETE /api/v1/projects/{id}/members/{userId}': project('manage'),
  'GET /api/v1/usage': project('read'),

  'POST /api/v1/prompts/render': project('invoke'),
  'POST /api/v1/prompts/{prompt}/render': project('invoke'),
  'POST /api/v1/prompt-runs': project('invoke'),
  'GET /api/v1/prompt-runs': project('read'),
  'POST /api/v1/prompts/{prompt}/run': project('invoke'),
  'GET /api/v1/prompt-runs/{id}': project('read'),
  'POST /api/v1/prompt-runs/{id}/restore': project('write'),
  'POST /api/v1/prompt-runs/redact': project('manage'),
  'GET /api/v1/prompts': project('read'),
  'POST /api/v1/prompts': project('write'),
  'GET /api/v1/prompts/{prompt}': project('read'),
  'PATCH /api/v1/prompts/{prompt}': project('write'),
  'DELETE /api/v1/prompts/{prompt}': project('write'),
  'GET /api/v1/prompts/{prompt}/versions': project('read'),
  'POST /api/v1/prompts/{prompt}/versions': project('write'),
  'PUT /api/v1/prompts/{prompt}/labels/{label}': project('write'),
  'DELETE /api/v1/prompts/{prompt}/labels/{label}': project('write'),
  'GET /api/v1/prompts/{prompt}/diff': project('read'),
  'GET /api/v1/prompt-sessions': project('read'),
  'POST /api/v1/prompt-sessions': project('write'),
  'GET /api/v1/prompt-sessions/{id}': project('read'),
  'PUT /api/v1/prompt-sessions/{id}': project('write'),
  'DELETE /api/v1/prompt-sessions/{id}': project('write'),
  'POST /api/v1/prompt-sessions/{id}/lock': project('write'),
  'DELETE /api/v1/prompt-sessions/{id}/lock': project('write'),
  'GET /api/v1/prompt-sessions/{id}/runs': project('read'),
  'POST /api/v1/compare': project('invoke'),
  'GET /api/v1/prompt-samples': project('read'),
  'POST /api/v1/prompt-samples/load': project('write'),
  'GET /api/v1/prompt-files': project('read'),
  'POST /api/v1/prompt-files': project('write'),

  'POST /api/v1/guardrails/check': project('read'),
  'GET /api/v1/guardrails/policies': project('read'),
  'GET /api/v1/guardrails/policies/{name}': project('read'),
  'PUT /api/v1/guardrails/policies/{name}': project('manage'),
  'DELETE /api/v1/guardrails/policies/{name}': project('manage'),
  'GET /api/v1/guardrails/decisions': project('read'),
  // Re-identification reveals the original personal data: administrators only.
  'GET /api/v1/guardrails/pseudonyms/{id}': project('manage'),
};
