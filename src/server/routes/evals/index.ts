/**
 * @module server/routes/evals
 * The evaluation HTTP surface: `/api/v1/datasets`, `/api/v1/evaluations` (and the metric and
 * red-team routes). Every route authorises with the caller's project role and calls the one
 * `EvalService`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv, KeelServices } from '../../context.js';
import { registerDatasetRoutes } from './datasets.js';
import { registerEvaluationRoutes } from './evaluations.js';
import { registerMetricRoutes } from './metrics.js';
import { registerRedTeamRoutes } from './red-team.js';

export function registerEvalRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  registerDatasetRoutes(app, services);
  registerEvaluationRoutes(app, services);
  registerMetricRoutes(app, services);
  registerRedTeamRoutes(app, services);
}
