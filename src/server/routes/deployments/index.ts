/**
 * @module server/routes/deployments
 * Every route of the deployments module: Keel's `/api/v1/spaces` and `/api/v1/deployments`
 * (with invoke), and watsonx's `/v2/spaces`, `/ml/v4/deployments` and deployment inference.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { KeelEnv, KeelServices } from '../../context.js';

export function registerDeploymentRoutes(app: OpenAPIHono<KeelEnv>, services: KeelServices): void {
  void app;
  void services;
}
