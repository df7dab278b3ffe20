/**
 * @module server/routes/deployments
 * Every route of the deployments module: Keel's `/api/v1/spaces` and `/api/v1/deployments`
 * (with invoke), and watsonx's `/v2/spaces`, `/ml/v4/deployments` and deployment inference.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv, KeelServices } from '../../context.js';
import { registerDeploymentInference } from '../watsonx/deployment-inference.js';
import { registerWatsonxDeployments } from '../watsonx/deployments.js';
import { registerWatsonxSpaces } from '../watsonx/spaces.js';
import { registerDeploymentMetricsRoute } from './deployment-metrics.js';
import { registerKeelDeploymentRoutes } from './deployments.js';
import { registerInvokeRoute } from './invoke.js';
import { registerSpaceRoutes } from './spaces.js';

export function registerDeploymentRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  registerSpaceRoutes(app, services);
  registerKeelDeploymentRoutes(app, services);
  registerInvokeRoute(app, services);
  registerDeploymentMetricsRoute(app, services);
  registerWatsonxSpaces(app, services);
  registerWatsonxDeployments(app, services);
  registerDeploymentInference(app, services);
}
