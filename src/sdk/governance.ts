/**
 * @module sdk/governance
 * `client.governance`: the use-case inventory, tracked assets and their lifecycle transitions,
 * validation reports, approvals and the gate check.
 */
import type { z } from 'zod';
import type {
  ApproachJson,
  ApprovalJson,
  AssetJson,
  createApproachSchema,
  createApprovalSchema,
  createUseCaseSchema,
  GateResultJson,
  listAssetsQuerySchema,
  listUseCasesQuerySchema,
  trackAssetSchema,
  transitionSchema,
  UseCaseJson,
  updateUseCaseSchema,
  validationReportSchema,
} from '../api/governance.js';
import type { SdkTransport } from './transport.js';

export type { ApproachJson, ApprovalJson, AssetJson, GateResultJson, UseCaseJson };

export interface ApprovalOutcome {
  approval: ApprovalJson;
  approved: boolean;
  missing: { code: string; message: string }[];
}

export interface HistoryEntry {
  event: string;
  from_stage: string | null;
  to_stage: string | null;
  actor: string | null;
  actor_role: string | null;
  detail: Record<string, unknown>;
  at: string;
}

const seg = encodeURIComponent;

export class GovernanceApi {
  constructor(private readonly client: SdkTransport) {}

  readonly useCases = {
    create: (input: z.input<typeof createUseCaseSchema>) =>
      this.client.request<UseCaseJson>('POST', '/api/v1/use-cases', { body: input }),
    list: (query: z.input<typeof listUseCasesQuerySchema> = {}) =>
      this.client.request<{ use_cases: UseCaseJson[] }>('GET', '/api/v1/use-cases', { query: { ...query } }),
    get: (id: string) => this.client.request<UseCaseJson>('GET', `/api/v1/use-cases/${seg(id)}`),
    update: (id: string, patch: z.input<typeof updateUseCaseSchema>) =>
      this.client.request<UseCaseJson>('PATCH', `/api/v1/use-cases/${seg(id)}`, { body: patch }),
    addApproach: (id: string, input: z.input<typeof createApproachSchema>) =>
      this.client.request<ApproachJson>('POST', `/api/v1/use-cases/${seg(id)}/approaches`, { body: input }),
  };

  readonly assets = {
    track: (input: z.input<typeof trackAssetSchema>) =>
      this.client.request<AssetJson>('POST', '/api/v1/assets', { body: input }),
    list: (query: z.input<typeof listAssetsQuerySchema> = {}) =>
      this.client.request<{ assets: AssetJson[] }>('GET', '/api/v1/assets', { query: { ...query } }),
    get: (id: string) => this.client.request<AssetJson>('GET', `/api/v1/assets/${seg(id)}`),
    history: (id: string) =>
      this.client.request<{ history: HistoryEntry[] }>('GET', `/api/v1/assets/${seg(id)}/history`),
    transition: (id: string, input: z.input<typeof transitionSchema>) =>
      this.client.request<AssetJson>('POST', `/api/v1/assets/${seg(id)}/transitions`, { body: input }),
    report: (id: string, report: z.input<typeof validationReportSchema>) =>
      this.client.request<AssetJson>('POST', `/api/v1/assets/${seg(id)}/validation-report`, { body: report }),
    /** `ref` as kind:ref or kind:ref@version (e.g. prompt_template:triage@3). */
    gate: (ref: string) =>
      this.client.request<GateResultJson>('GET', '/api/v1/assets/gate', { query: { ref } }),
  };

  readonly approvals = {
    decide: (input: z.input<typeof createApprovalSchema>) =>
      this.client.request<ApprovalOutcome>('POST', '/api/v1/approvals', { body: input }),
    list: (query: { asset_id?: string; use_case_id?: string } = {}) =>
      this.client.request<{ approvals: ApprovalJson[] }>('GET', '/api/v1/approvals', { query: { ...query } }),
    pending: (query: { use_case_id?: string } = {}) =>
      this.client.request<{ approvals: ApprovalJson[]; pending: AssetJson[] }>('GET', '/api/v1/approvals', {
        query: { ...query, view: 'pending' },
      }),
    get: (id: string) => this.client.request<ApprovalJson>('GET', `/api/v1/approvals/${seg(id)}`),
  };
}
