/**
 * @module sdk/guardrails
 * `client.guardrails`: check text, manage policies, read decisions.
 */
import type { CheckRequest, CheckResponse } from '../api/guardrails.js';
import type { SdkTransport } from './transport.js';

export interface StoredPolicyJson {
  name: string;
  version: number;
  policy: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export class GuardrailsApi {
  constructor(private readonly client: SdkTransport) {}

  check(input: CheckRequest, signal?: AbortSignal): Promise<CheckResponse> {
    return this.client.request('POST', '/api/v1/guardrails/check', { body: input, signal });
  }

  readonly policies = {
    list: () => this.client.request<{ policies: StoredPolicyJson[] }>('GET', '/api/v1/guardrails/policies'),
    get: (name: string) =>
      this.client.request<StoredPolicyJson>('GET', `/api/v1/guardrails/policies/${encodeURIComponent(name)}`),
    put: (name: string, policy: Record<string, unknown>) =>
      this.client.request<StoredPolicyJson>(
        'PUT',
        `/api/v1/guardrails/policies/${encodeURIComponent(name)}`,
        { body: policy },
      ),
    delete: (name: string) =>
      this.client.request<void>('DELETE', `/api/v1/guardrails/policies/${encodeURIComponent(name)}`),
  };

  decisions(query: { limit?: number; since?: string } = {}) {
    return this.client.request<{ decisions: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/guardrails/decisions',
      { query },
    );
  }
}
