/**
 * @module sdk/red-team
 * `client.redTeam`: probe sets, red-team runs and their reports and per-probe results.
 */
import type { CreateRedTeamRun, ProbeResultJson, ProbeSetJson, RedTeamRunJson } from '../api/red-team.js';
import type { SdkTransport } from './transport.js';

export class RedTeamApi {
  constructor(private readonly client: SdkTransport) {}

  probeSets() {
    return this.client.request<{ probe_sets: ProbeSetJson[] }>('GET', '/api/v1/red-team/probe-sets');
  }

  /** Queues a run; follow it with `get` (or the job's events) until its status is final. */
  create(input: CreateRedTeamRun, signal?: AbortSignal): Promise<RedTeamRunJson> {
    return this.client.request('POST', '/api/v1/red-team/runs', { body: input, signal });
  }

  get(id: string): Promise<RedTeamRunJson> {
    return this.client.request('GET', `/api/v1/red-team/runs/${encodeURIComponent(id)}`);
  }

  list(query: { limit?: number } = {}) {
    return this.client.request<{ runs: RedTeamRunJson[] }>('GET', '/api/v1/red-team/runs', { query });
  }

  results(
    id: string,
    query: {
      category?: string;
      language?: string;
      outcome?: string;
      success?: 'true' | 'false';
      limit?: number;
      offset?: number;
    } = {},
  ) {
    return this.client.request<{ results: ProbeResultJson[] }>(
      'GET',
      `/api/v1/red-team/runs/${encodeURIComponent(id)}/results`,
      { query },
    );
  }
}
