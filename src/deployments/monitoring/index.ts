/**
 * @module deployments/monitoring
 * Monitoring of model traffic: the request log (sampled calls reduced to outcomes and features),
 * monitors (traffic, guardrails, drift, fairness) run as periodic jobs, and the alerts and
 * incidents they raise. The module adds the request-log middleware to every model the registry
 * hands out, just outside the ledger (so refused calls are seen too). It logs calls served by a
 * deployment, and plain model calls only of projects with a project-wide monitor: traffic no one
 * watches costs nothing beyond one cached lookup.
 */
import type { AuditRecorder } from '../../audit/index.js';
import type { KeelModule, ModuleBase } from '../../core/module.js';
import type { JobService } from '../../jobs/index.js';
import type { ProviderRegistry } from '../../models/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { changeFeed, InvalidatingCache } from '../../storage/core/cache-invalidation.js';
import { AlertService } from '../alerts/alert-service.js';
import { IncidentStore } from '../alerts/incident-store.js';
import { catalogPriceOf } from '../ledger/index.js';
import { MonitorStore } from './monitor-store.js';
import { MonitoringService } from './monitoring-service.js';
import { RequestLog } from './request-log.js';

export type { Alert } from '../alerts/alert-service.js';
export { AlertService, crosses } from '../alerts/alert-service.js';
export {
  type Incident,
  type IncidentNote,
  type IncidentStatus,
  IncidentStore,
  incidentStatuses,
} from '../alerts/incident-store.js';
export { deliverWebhook, signWebhook, type WebhookOutcome } from '../alerts/webhook.js';
export {
  type Monitor,
  type MonitorConfig,
  type MonitorInput,
  type MonitorKind,
  type MonitorResult,
  MonitorStore,
  monitorKinds,
  type Severity,
  severities,
  type Threshold,
  type ThresholdOperator,
  thresholdOperators,
} from './monitor-store.js';
export { MONITOR_JOB, MonitoringService, type MonitorRun } from './monitoring-service.js';
export { isRefusal, RequestLog } from './request-log.js';

export interface MonitoringDeps extends ModuleBase {
  audit: AuditRecorder;
  jobs: JobService;
  registry: ProviderRegistry;
}

export interface MonitoringApi {
  monitoring: MonitoringService;
  requestLog: RequestLog;
  alerts: AlertService;
  incidents: IncidentStore;
}

/**
 * Whether a project has an enabled project-wide monitor (one not tied to a deployment), cached per
 * project and dropped on every replica when its monitors change (migration 0022).
 */
function projectWatches(db: DatabaseV1): (projectId: string) => Promise<boolean> {
  const cache = new InvalidatingCache<boolean>({ ttlMs: 30_000 }).follow(changeFeed(db), 'monitors');
  return (projectId) =>
    cache.get(projectId, async () => {
      const { rows } = await db.query<{ watched: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM monitors WHERE project_id = $1 AND enabled AND deployment_id IS NULL) AS watched`,
        [projectId],
      );
      return rows[0]?.watched === true;
    });
}

export const monitoringModule: KeelModule<MonitoringDeps, MonitoringApi> = {
  name: 'monitoring',
  create({ db, audit, jobs, registry, logger, metrics, config }) {
    const allowPrivateWebhooks = config.security.allowPrivateNetworkFetch;
    const requestLog = new RequestLog({
      db,
      sampleRate: config.monitoring.sampleRate,
      watchesModelCalls: projectWatches(db),
      prices: catalogPriceOf,
      flushIntervalMs: 1000,
      logger,
      metrics,
    });
    registry.use(requestLog.middleware(), { before: 'ledger' });
    const incidents = new IncidentStore(db, audit);
    const alerts = new AlertService({ db, audit, incidents, allowPrivateWebhooks, logger });
    const monitors = new MonitorStore(db, audit, { allowPrivateWebhooks });
    const monitoring = new MonitoringService({ db, jobs, monitors, alerts, requestLog, logger });
    return { monitoring, requestLog, alerts, incidents };
  },
  start: ({ monitoring }) => monitoring.start(),
  stop: ({ monitoring }) => monitoring.stop(),
  close: ({ requestLog }) => requestLog.close(),
};
