/**
 * @module server/routes/governance
 * Governance's HTTP surface: use cases, assets and their transitions, approvals (the risk
 * assessment and factsheet routes register here too).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv, KeelServices } from '../../context.js';
import { registerApprovalRoutes } from './approvals.js';
import { registerAssetRoutes } from './assets.js';
import { registerFactsheetRoutes } from './factsheets.js';
import { registerRiskAssessmentRoutes } from './risk-assessments.js';
import { registerTransitionRoutes } from './transitions.js';
import { registerUseCaseRoutes } from './use-cases.js';

export function registerGovernanceRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  registerUseCaseRoutes(app, services);
  registerAssetRoutes(app, services);
  registerTransitionRoutes(app, services);
  registerApprovalRoutes(app, services);
  registerRiskAssessmentRoutes(app, services);
  registerFactsheetRoutes(app, services);
}
