/**
 * @module server/routes/governance/risk-assessments
 * `/api/v1/risk-assessments`: the project's risk questionnaire (read by anyone in the project;
 * replaced by an admin — validated, versioned, audited) and risk assessments (completed by an
 * editor or a validator; immutable; a new one supersedes the one before). `?dry_run=true` scores the
 * answers so far (unanswered questions allowed) and returns tier, category, reasons and required
 * controls without storing or auditing anything; anyone in the project may preview.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  assessmentJsonSchema,
  assessmentPreviewSchema,
  createAssessmentQuerySchema,
  createAssessmentSchema,
  listAssessmentsQuerySchema,
  type QuestionnaireJson,
  questionnaireJsonSchema,
  questionnaireSchema,
} from '../../../api/governance-risk.js';
import { KeelError } from '../../../core/errors.js';
import { assessmentJson } from '../../../governance/index.js';
import type { StoredQuestionnaire } from '../../../governance/risk/questionnaire-store.js';
import { roleAllows } from '../../../platform/roles.js';
import type { KeelEnv, KeelServices } from '../../context.js';
import { json } from '../../respond.js';
import { created, errors, govCaller, idParam, jsonBody, ok } from './shared.js';

const tags = ['Governance'];

const routes = {
  questionnaire: createRoute({
    method: 'get',
    path: '/api/v1/risk-assessments/questionnaire',
    tags,
    summary: "The project's risk questionnaire (Korean and English): its own upload, or Keel's built-in one",
    responses: ok(questionnaireJsonSchema, 'The questionnaire'),
  }),
  replaceQuestionnaire: createRoute({
    method: 'put',
    path: '/api/v1/risk-assessments/questionnaire',
    tags,
    summary: "Replace the project's questionnaire (admins; stored as the next revision, audited)",
    request: jsonBody(questionnaireSchema),
    responses: ok(questionnaireJsonSchema, 'The questionnaire now in force'),
  }),
  create: createRoute({
    method: 'post',
    path: '/api/v1/risk-assessments',
    tags,
    summary:
      "Complete a risk assessment of a use case (scored against the project's questionnaire); ?dry_run=true previews it",
    request: { query: createAssessmentQuerySchema, ...jsonBody(createAssessmentSchema) },
    responses: {
      ...created(assessmentJsonSchema, 'The completed assessment'),
      200: {
        description:
          'With dry_run=true: the result the answers so far would give (nothing stored or audited)',
        content: { 'application/json': { schema: assessmentPreviewSchema } },
      },
      ...errors,
    },
  }),
  list: createRoute({
    method: 'get',
    path: '/api/v1/risk-assessments',
    tags,
    summary: "The project's risk assessments, newest first",
    request: { query: listAssessmentsQuerySchema },
    responses: ok(z.object({ assessments: z.array(assessmentJsonSchema) }), 'Assessments'),
  }),
  get: createRoute({
    method: 'get',
    path: '/api/v1/risk-assessments/{id}',
    tags,
    summary: 'A risk assessment with its scorecard',
    request: { params: idParam },
    responses: ok(assessmentJsonSchema, 'The assessment'),
  }),
};

function questionnaireJson(stored: StoredQuestionnaire): QuestionnaireJson {
  return {
    revision: stored.revision,
    source: stored.source,
    digest: stored.digest,
    created_by: stored.createdBy,
    created_at: stored.createdAt ? new Date(stored.createdAt).toISOString() : null,
    questionnaire: stored.questionnaire,
  };
}

export function registerRiskAssessmentRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  const { risk } = services;

  // Registered before `/{id}`, which would otherwise take "questionnaire" for an id.
  app.openapi(routes.questionnaire, async (c) => {
    const caller = govCaller(c, 'read');
    return json(questionnaireJson(await risk.questionnaire(caller.projectId)));
  });

  app.openapi(routes.replaceQuestionnaire, async (c) => {
    const caller = govCaller(c, 'manage');
    return json(questionnaireJson(await risk.replaceQuestionnaire(caller, c.req.valid('json'))));
  });

  app.openapi(routes.create, async (c) => {
    const caller = govCaller(c, 'read');
    const body = c.req.valid('json');
    const request = {
      useCaseId: body.use_case_id,
      approachId: body.approach_id,
      answers: body.answers,
      note: body.note,
    };
    if (c.req.valid('query').dry_run === 'true') return json(await risk.preview(caller, request), 200);
    // Business owners (editors) fill in assessments; validators and risk officers too.
    if (!roleAllows(caller.role, 'write') && !roleAllows(caller.role, 'validate'))
      throw new KeelError('forbidden', `The ${caller.role} role cannot complete risk assessments.`, {
        issues: [{ code: 'role_not_allowed', path: [], message: 'needs an editor, validator or admin role' }],
      });
    const assessment = await risk.assess(caller, request);
    return json(assessmentJson(assessment), 201);
  });

  app.openapi(routes.list, async (c) => {
    const caller = govCaller(c, 'read');
    const query = c.req.valid('query');
    const rows = await risk.list(caller.projectId, {
      useCaseId: query.use_case_id,
      limit: query.limit ?? 100,
    });
    return json({ assessments: rows.map(assessmentJson) });
  });

  app.openapi(routes.get, async (c) => {
    const caller = govCaller(c, 'read');
    return json(assessmentJson(await risk.get(caller.projectId, c.req.valid('param').id)));
  });
}
