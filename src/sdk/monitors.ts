/**
 * @module sdk/monitors
 * `client.monitors`: monitors on the request log (create, change, run, results), the alerts they
 * raise and the incidents those open; and `client.limits`: the ledger's rates and budgets.
 */
import type { LimitJson, LimitUsageJson, SetLimitBody } from '../api/ledger.js';
import type { AlertJson, CreateMonitorBody, IncidentJson, MonitorJson } from '../api/monitors.js';
import type { SdkTransport } from './transport.js';

export type { AlertJson, IncidentJson, MonitorJson };

export interface MonitorResultJson {
  id: string;
  monitor_id: string;
  window_from: string;
  window_to: string;
  metrics: Record<string, unknown>;
  created_at: string;
}

const path = (id: string) => encodeURIComponent(id);

export class MonitorsApi {
  constructor(private readonly client: SdkTransport) {}

  async list(query: { deployment_id?: string } = {}): Promise<MonitorJson[]> {
    return (await this.client.request<{ monitors: MonitorJson[] }>('GET', '/api/v1/monitors', { query }))
      .monitors;
  }

  /** Creates a monitor; `webhook_secret` (when it has a webhook) is shown this once. */
  create(body: CreateMonitorBody): Promise<MonitorJson & { webhook_secret: string | null }> {
    return this.client.request('POST', '/api/v1/monitors', { body });
  }

  get(id: string): Promise<MonitorJson> {
    return this.client.request('GET', `/api/v1/monitors/${path(id)}`);
  }

  update(id: string, body: Partial<Omit<CreateMonitorBody, 'kind' | 'deployment_id'>>): Promise<MonitorJson> {
    return this.client.request('PATCH', `/api/v1/monitors/${path(id)}`, { body });
  }

  async remove(id: string): Promise<void> {
    await this.client.raw('DELETE', `/api/v1/monitors/${path(id)}`);
  }

  /** Runs the monitor at once and returns its values and the alerts raised. */
  run(id: string): Promise<{ result: MonitorResultJson; alerts: AlertJson[] }> {
    return this.client.request('POST', `/api/v1/monitors/${path(id)}/run`, { query: { wait: 'true' } });
  }

  async results(id: string, limit?: number): Promise<MonitorResultJson[]> {
    return (
      await this.client.request<{ results: MonitorResultJson[] }>(
        'GET',
        `/api/v1/monitors/${path(id)}/results`,
        {
          query: { limit },
        },
      )
    ).results;
  }

  async alerts(query: { monitor_id?: string; limit?: number } = {}): Promise<AlertJson[]> {
    return (await this.client.request<{ alerts: AlertJson[] }>('GET', '/api/v1/alerts', { query })).alerts;
  }

  async incidents(query: { status?: 'open' | 'acknowledged' | 'resolved' } = {}): Promise<IncidentJson[]> {
    return (await this.client.request<{ incidents: IncidentJson[] }>('GET', '/api/v1/incidents', { query }))
      .incidents;
  }

  incident(id: string): Promise<IncidentJson> {
    return this.client.request('GET', `/api/v1/incidents/${path(id)}`);
  }

  /** Acknowledges or resolves an incident, and/or adds a note. */
  updateIncident(
    id: string,
    body: { status?: 'acknowledged' | 'resolved'; note?: string },
  ): Promise<IncidentJson> {
    return this.client.request('PATCH', `/api/v1/incidents/${path(id)}`, { body });
  }
}

export class LimitsApi {
  constructor(private readonly client: SdkTransport) {}

  async list(
    query: { scope_type?: 'project' | 'key' | 'deployment'; scope_id?: string } = {},
  ): Promise<LimitUsageJson[]> {
    return (await this.client.request<{ limits: LimitUsageJson[] }>('GET', '/api/v1/limits', { query }))
      .limits;
  }

  set(body: SetLimitBody): Promise<LimitJson> {
    return this.client.request('PUT', '/api/v1/limits', { body });
  }

  async remove(id: string): Promise<void> {
    await this.client.raw('DELETE', `/api/v1/limits/${path(id)}`);
  }

  /** Restricts an API key to some deployments (null lifts the restriction). */
  scopeKey(keyId: string, deployments: string[] | null): Promise<{ deployments: string[] | null }> {
    return this.client.request('PUT', `/api/v1/limits/keys/${path(keyId)}/deployments`, {
      body: { deployments },
    });
  }
}
