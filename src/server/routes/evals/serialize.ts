/**
 * @module server/routes/evals/serialize
 * Dataset, version and evaluation rows as the API shows them (dates as ISO strings).
 */
import type { DatasetRow, DatasetVersionRow, RunRow } from '../../../evals/index.js';

export function versionJson(row: DatasetVersionRow) {
  return {
    version: row.version,
    content_hash: row.content_hash,
    format: row.format,
    mapping: row.mapping as Record<string, unknown>,
    columns: row.columns,
    row_count: row.row_count,
    splits: row.splits,
    message: row.message,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
  };
}

export function datasetJson(row: DatasetRow & { row_count?: number }, version?: DatasetVersionRow | null) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    latest_version: row.latest_version,
    ...(row.row_count !== undefined ? { row_count: row.row_count } : {}),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...(version !== undefined ? { version: version ? versionJson(version) : null } : {}),
  };
}

export function evaluationJson(row: RunRow) {
  return {
    id: row.id,
    name: row.name,
    job_id: row.job_id,
    target: row.target as unknown as Record<string, unknown>,
    dataset_id: row.dataset_id,
    dataset_version: row.dataset_version,
    items: row.ordinals.length,
    metrics: row.metrics,
    thresholds: row.thresholds,
    options: row.options as Record<string, unknown>,
    status: row.status,
    passed: row.passed,
    aggregates: row.aggregates,
    error: row.error,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
    source: sourceOf(row),
  };
}

/** The feature that recorded the run (an experiment, a comparison) and the cell it covers; null for a run Keel executed. */
function sourceOf(row: RunRow): { kind: string; id: string; cell: string | null } | null {
  type Recorded = { resolved?: { source?: { kind?: unknown; id?: unknown } } };
  const source = (row.target as Recorded).resolved?.source;
  if (typeof source?.kind !== 'string' || typeof source.id !== 'string') return null;
  return { kind: source.kind, id: source.id, cell: row.source_cell ?? null };
}
