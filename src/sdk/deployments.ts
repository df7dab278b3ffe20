/**
 * @module sdk/deployments
 * `client.deployments` and `client.spaces`: deployment spaces, deployments (versions, rollback,
 * traffic split) and invoking a deployment.
 */
import type { z } from 'zod';
import type { DeploymentMetricsJson } from '../api/deployment-metrics.js';
import type {
  createDeploymentRequestSchema,
  createSpaceRequestSchema,
  DeploymentJson,
  InvokeResponse,
  invokeRequestSchema,
  SpaceJson,
  trafficSplitSchema,
  updateDeploymentRequestSchema,
  updateSpaceRequestSchema,
} from '../api/deployments.js';
import type { SdkTransport } from './transport.js';

export type { DeploymentJson, DeploymentMetricsJson, InvokeResponse, SpaceJson };

const seg = encodeURIComponent;

export class SpacesApi {
  constructor(private readonly client: SdkTransport) {}

  create(input: z.input<typeof createSpaceRequestSchema>): Promise<SpaceJson> {
    return this.client.request('POST', '/api/v1/spaces', { body: input });
  }

  list(): Promise<{ spaces: SpaceJson[] }> {
    return this.client.request('GET', '/api/v1/spaces');
  }

  get(idOrName: string): Promise<SpaceJson> {
    return this.client.request('GET', `/api/v1/spaces/${seg(idOrName)}`);
  }

  update(idOrName: string, patch: z.input<typeof updateSpaceRequestSchema>): Promise<SpaceJson> {
    return this.client.request('PATCH', `/api/v1/spaces/${seg(idOrName)}`, { body: patch });
  }

  async delete(idOrName: string): Promise<void> {
    await this.client.raw('DELETE', `/api/v1/spaces/${seg(idOrName)}`);
  }
}

export class DeploymentsApi {
  constructor(private readonly client: SdkTransport) {}

  create(input: z.input<typeof createDeploymentRequestSchema>): Promise<DeploymentJson> {
    return this.client.request('POST', '/api/v1/deployments', { body: input });
  }

  list(query: { space?: string } = {}): Promise<{ deployments: DeploymentJson[] }> {
    return this.client.request('GET', '/api/v1/deployments', { query: { ...query } });
  }

  get(idOrName: string): Promise<DeploymentJson> {
    return this.client.request('GET', `/api/v1/deployments/${seg(idOrName)}`);
  }

  /** Renames or retags; a new asset, model, parameters or policy adds a version that serves at once. */
  update(idOrName: string, patch: z.input<typeof updateDeploymentRequestSchema>): Promise<DeploymentJson> {
    return this.client.request('PATCH', `/api/v1/deployments/${seg(idOrName)}`, { body: patch });
  }

  async delete(idOrName: string): Promise<void> {
    await this.client.raw('DELETE', `/api/v1/deployments/${seg(idOrName)}`);
  }

  /** Serves `version` (default: the one before the current) alone again. */
  /** Requests, errors, latency, tokens and cost per bucket (default: per minute over the last hour). */
  metrics(
    idOrName: string,
    query: { minutes?: number; bucket_seconds?: number } = {},
  ): Promise<DeploymentMetricsJson> {
    return this.client.request('GET', `/api/v1/deployments/${seg(idOrName)}/metrics`, { query });
  }

  rollback(idOrName: string, version?: number): Promise<DeploymentJson> {
    return this.client.request('POST', `/api/v1/deployments/${seg(idOrName)}/rollback`, {
      body: version === undefined ? {} : { version },
    });
  }

  /** Splits traffic between two versions by weight; `null` ends the split. */
  split(idOrName: string, split: z.input<typeof trafficSplitSchema> | null): Promise<DeploymentJson> {
    return split
      ? this.client.request('PUT', `/api/v1/deployments/${seg(idOrName)}/split`, { body: split })
      : this.client.request('DELETE', `/api/v1/deployments/${seg(idOrName)}/split`);
  }

  /** Runs the deployment; `X-Request-Id` (`requestId`) decides the version under a request_id split. */
  invoke(
    idOrName: string,
    input: Omit<z.input<typeof invokeRequestSchema>, 'stream'>,
    options: { requestId?: string; signal?: AbortSignal } = {},
  ): Promise<InvokeResponse> {
    return this.client.request('POST', `/api/v1/deployments/${seg(idOrName)}/invoke`, {
      body: input,
      signal: options.signal,
      ...(options.requestId ? { headers: { 'x-request-id': options.requestId } } : {}),
    });
  }
}
