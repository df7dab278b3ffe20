/**
 * @module governance/factsheets/serving-facts
 * Where the approach's assets serve, found from what was recorded rather than what was tracked:
 * every deployment whose version pinned a tracked template version or collection (its
 * `deployment.create` and `deployment.version.create` audit records name the asset), whether or
 * not the deployment is tracked itself; the monitors that watch those deployments; and the
 * incidents they raised. Monitors and incidents are read from the monitoring module.
 */
import type { FactItem } from '../../api/factsheets.js';
import type { AuditLog } from '../../audit/index.js';
import type { AssetRow } from '../inventory/rows.js';

export interface WatchedMonitor {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  deploymentId: string | null;
  thresholds: unknown[];
  intervalSeconds: number;
}

export interface WatchedIncident {
  id: string;
  monitorId: string | null;
  deploymentId: string | null;
  title: string;
  severity: string;
  status: string;
  createdAt: Date | string;
  resolvedAt: Date | string | null;
}

/** The monitoring module, as factsheets read it. */
export interface ServingWatch {
  monitors(projectId: string, deploymentId: string): Promise<WatchedMonitor[]>;
  incidents(projectId: string): Promise<WatchedIncident[]>;
}

/** A deployment version that served a tracked asset. */
export interface ServedBy {
  deploymentId: string;
  /** The governed asset's id. */
  assetId: string;
  /** `prompt_template:<template id>@<version>` as the deployment recorded it. */
  served: string;
  servedVersion: number;
  deploymentVersion: number | null;
  at: number;
  actor: string | null;
}

export interface ServingFacts {
  deployments: ServedBy[];
  monitors: WatchedMonitor[];
  incidents: WatchedIncident[];
}

const PAGE = 5_000;
const DEPLOYMENT_ACTIONS = ['deployment.create', 'deployment.version.create'];
const SERVABLE = new Set(['prompt_template', 'rag_collection']);

export async function gatherServingFacts(
  audit: Pick<AuditLog, 'query'>,
  projectId: string,
  assets: readonly AssetRow[],
  watch: ServingWatch | undefined,
): Promise<ServingFacts> {
  const bySource = new Map<string, AssetRow[]>();
  for (const asset of assets)
    if (SERVABLE.has(asset.kind) && asset.source_id && asset.stage !== 'retire') {
      const key = `${asset.kind}:${asset.source_id}`;
      bySource.set(key, [...(bySource.get(key) ?? []), asset]);
    }
  const deployments: ServedBy[] = [];
  if (bySource.size)
    for (const action of DEPLOYMENT_ACTIONS) {
      let cursor: number | undefined;
      do {
        const page = await audit.query({ projectId, action, cursor, limit: PAGE });
        for (const row of page.rows) {
          if (!row.target_id || !row.detail) continue;
          const detail = JSON.parse(row.detail) as { asset?: unknown; version?: unknown };
          const served = typeof detail.asset === 'string' ? /^(.+)@(\d+)$/.exec(detail.asset) : null;
          if (!served) continue;
          const servedVersion = Number(served[2]);
          for (const asset of bySource.get(served[1]!) ?? [])
            if (asset.ref_version === null || asset.ref_version === servedVersion)
              deployments.push({
                deploymentId: row.target_id,
                assetId: asset.id,
                served: served[0],
                servedVersion,
                deploymentVersion: typeof detail.version === 'number' ? detail.version : null,
                at: Number(row.at),
                actor: row.actor_user_id ?? row.actor_key_id,
              });
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    }
  deployments.sort((a, b) => a.at - b.at);
  const deploymentIds = new Set(deployments.map((entry) => entry.deploymentId));
  if (!watch || !deploymentIds.size) return { deployments, monitors: [], incidents: [] };
  const monitors: WatchedMonitor[] = [];
  for (const id of deploymentIds) monitors.push(...(await watch.monitors(projectId, id)));
  const monitorIds = new Set(monitors.map((monitor) => monitor.id));
  const incidents = (await watch.incidents(projectId)).filter(
    (incident) =>
      (incident.deploymentId !== null && deploymentIds.has(incident.deploymentId)) ||
      (incident.monitorId !== null && monitorIds.has(incident.monitorId)),
  );
  return { deployments, monitors, incidents };
}

const iso = (value: Date | string | number) => new Date(value).toISOString();

/** Deployments found serving the assets (tracked or not), their monitors and incidents, as they stand. */
export function servingItems(
  facts: ServingFacts & { assets: readonly AssetRow[] },
  names: ReadonlyMap<string, string>,
): { deployments: FactItem[]; monitors: FactItem[]; incidents: FactItem[] } {
  const items = { deployments: [] as FactItem[], monitors: [] as FactItem[], incidents: [] as FactItem[] };
  for (const entry of facts.deployments)
    items.deployments.push({
      label: `deployment ${entry.deploymentId}`,
      fields: {
        deployment: entry.deploymentId,
        deployment_version: entry.deploymentVersion,
        serves: names.get(entry.assetId) ?? entry.assetId,
        asset: entry.assetId,
        served: entry.served,
        served_version: entry.servedVersion,
        tracked: facts.assets.some(
          (asset) => asset.kind === 'deployment' && asset.ref === entry.deploymentId,
        ),
        at: iso(entry.at),
        by: entry.actor,
      },
    });
  for (const monitor of facts.monitors)
    items.monitors.push({
      label: monitor.name,
      fields: {
        monitor: monitor.id,
        kind: monitor.kind,
        deployment: monitor.deploymentId,
        enabled: monitor.enabled,
        interval_seconds: monitor.intervalSeconds,
        thresholds: JSON.stringify(monitor.thresholds),
      },
    });
  for (const incident of facts.incidents)
    items.incidents.push({
      label: incident.title,
      fields: {
        incident: incident.id,
        severity: incident.severity,
        status: incident.status,
        deployment: incident.deploymentId,
        monitor: incident.monitorId,
        opened_at: iso(incident.createdAt),
        resolved_at: incident.resolvedAt === null ? null : iso(incident.resolvedAt),
      },
    });
  return items;
}
