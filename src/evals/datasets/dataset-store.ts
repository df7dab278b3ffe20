/**
 * @module evals/datasets/dataset-store
 * Datasets in the database: one row per dataset (name unique in its project), one per version
 * (unique by content hash: uploading the same content again returns the existing version), and
 * the items of each version. Changes are audited.
 */
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';
import type { ColumnMapping, ColumnSummary, DatasetItem, MappedDataset } from './dataset-items.js';

export interface DatasetRow {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  latest_version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface DatasetVersionRow {
  dataset_id: string;
  version: number;
  content_hash: string;
  format: string;
  mapping: ColumnMapping;
  columns: ColumnSummary[];
  row_count: number;
  splits: Record<string, number>;
  message: string | null;
  created_by: string | null;
  created_at: Date;
}

export interface StoredItem extends DatasetItem {
  ordinal: number;
}

/** Rows per INSERT when writing items. */
const INSERT_BATCH = 500;

export class DatasetStore {
  constructor(
    private readonly db: DatabaseV1,
    private readonly audit: AuditRecorder,
  ) {}

  /**
   * Adds `mapped` as a version of the dataset `name` (created if new). The same content as an
   * existing version returns that version (`created: false`).
   */
  async addVersion(
    projectId: string,
    actor: string | null,
    input: { name: string; description?: string | undefined; format: string; message?: string | undefined },
    mapped: MappedDataset,
  ): Promise<{ dataset: DatasetRow; version: DatasetVersionRow; created: boolean }> {
    const result = await this.db.transaction(async (tx) => {
      let dataset = (
        await tx.query<DatasetRow>(
          'SELECT * FROM eval_datasets WHERE project_id = $1 AND name = $2 FOR UPDATE',
          [projectId, input.name],
        )
      ).rows[0];
      if (!dataset) {
        dataset = (
          await tx.query<DatasetRow>(
            `INSERT INTO eval_datasets (id, project_id, name, description, created_by)
             VALUES ($1, $2, $3, $4, $5) RETURNING *`,
            [newId('ds'), projectId, input.name, input.description ?? null, actor],
          )
        ).rows[0]!;
      }
      const existing = (
        await tx.query<DatasetVersionRow>(
          'SELECT * FROM eval_dataset_versions WHERE dataset_id = $1 AND content_hash = $2',
          [dataset.id, mapped.contentHash],
        )
      ).rows[0];
      if (existing) return { dataset, version: existing, created: false };
      const number = dataset.latest_version + 1;
      const version = (
        await tx.query<DatasetVersionRow>(
          `INSERT INTO eval_dataset_versions
             (dataset_id, version, content_hash, format, mapping, columns, row_count, splits, message, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
          [
            dataset.id,
            number,
            mapped.contentHash,
            input.format,
            JSON.stringify(mapped.mapping),
            JSON.stringify(mapped.columns),
            mapped.items.length,
            JSON.stringify(mapped.splits),
            input.message ?? null,
            actor,
          ],
        )
      ).rows[0]!;
      await insertItems(tx, dataset.id, number, mapped.items);
      dataset = (
        await tx.query<DatasetRow>(
          `UPDATE eval_datasets SET latest_version = $2, updated_at = now(),
             description = COALESCE($3, description) WHERE id = $1 RETURNING *`,
          [dataset.id, number, input.description ?? null],
        )
      ).rows[0]!;
      return { dataset, version, created: true };
    });
    if (result.created) {
      this.audit.record({
        action: result.version.version === 1 ? 'dataset.create' : 'dataset.version.create',
        projectId,
        target: { type: 'dataset', id: result.dataset.id },
        after: { name: input.name, contentHash: mapped.contentHash, mapping: mapped.mapping },
        detail: { version: result.version.version, rows: mapped.items.length, format: input.format },
      });
    }
    return result;
  }

  async list(projectId: string): Promise<(DatasetRow & { row_count: number })[]> {
    const { rows } = await this.db.query<DatasetRow & { row_count: number }>(
      `SELECT d.*, COALESCE(v.row_count, 0) AS row_count FROM eval_datasets d
       LEFT JOIN eval_dataset_versions v ON v.dataset_id = d.id AND v.version = d.latest_version
       WHERE d.project_id = $1 ORDER BY d.created_at DESC, d.id`,
      [projectId],
    );
    return rows;
  }

  /** A dataset of the project by id or name; 404 otherwise. */
  async get(projectId: string, idOrName: string): Promise<DatasetRow> {
    const { rows } = await this.db.query<DatasetRow>(
      'SELECT * FROM eval_datasets WHERE project_id = $1 AND (id = $2 OR name = $2)',
      [projectId, idOrName],
    );
    if (!rows[0]) throw new KeelError('not_found', `No dataset “${idOrName}” in this project.`);
    return rows[0];
  }

  async versions(datasetId: string): Promise<DatasetVersionRow[]> {
    const { rows } = await this.db.query<DatasetVersionRow>(
      'SELECT * FROM eval_dataset_versions WHERE dataset_id = $1 ORDER BY version DESC',
      [datasetId],
    );
    return rows;
  }

  /** A version (the latest when `version` is undefined); 404 when there is none. */
  async version(dataset: DatasetRow, version?: number | undefined): Promise<DatasetVersionRow> {
    const number = version ?? dataset.latest_version;
    const { rows } = await this.db.query<DatasetVersionRow>(
      'SELECT * FROM eval_dataset_versions WHERE dataset_id = $1 AND version = $2',
      [dataset.id, number],
    );
    if (!rows[0]) throw new KeelError('not_found', `Dataset “${dataset.name}” has no version ${number}.`);
    return rows[0];
  }

  /** Items of a version in order, optionally of one split, from `offset`. */
  async items(
    datasetId: string,
    version: number,
    options: { limit?: number | undefined; offset?: number | undefined; split?: string | undefined } = {},
  ): Promise<StoredItem[]> {
    const { rows } = await this.db.query<{
      ordinal: number;
      split: string | null;
      item: Omit<DatasetItem, 'split'>;
    }>(
      `SELECT ordinal, split, item FROM eval_dataset_items
       WHERE dataset_id = $1 AND version = $2 AND ($3::text IS NULL OR split = $3)
       ORDER BY ordinal LIMIT $4 OFFSET $5`,
      [datasetId, version, options.split ?? null, options.limit ?? 1_000_000, options.offset ?? 0],
    );
    return rows.map((row) => ({ ...row.item, split: row.split, ordinal: row.ordinal }));
  }

  /** Items of a version by ordinal. */
  async itemsAt(datasetId: string, version: number, ordinals: readonly number[]): Promise<StoredItem[]> {
    if (ordinals.length === 0) return [];
    const { rows } = await this.db.query<{
      ordinal: number;
      split: string | null;
      item: Omit<DatasetItem, 'split'>;
    }>(
      `SELECT ordinal, split, item FROM eval_dataset_items
       WHERE dataset_id = $1 AND version = $2 AND ordinal = ANY($3::int[]) ORDER BY ordinal`,
      [datasetId, version, ordinals],
    );
    return rows.map((row) => ({ ...row.item, split: row.split, ordinal: row.ordinal }));
  }

  /** The ordinals of a version (one split's, when given). */
  async ordinals(datasetId: string, version: number, split?: string | undefined): Promise<number[]> {
    const { rows } = await this.db.query<{ ordinal: number }>(
      `SELECT ordinal FROM eval_dataset_items WHERE dataset_id = $1 AND version = $2
       AND ($3::text IS NULL OR split = $3) ORDER BY ordinal`,
      [datasetId, version, split ?? null],
    );
    return rows.map((row) => row.ordinal);
  }

  async delete(projectId: string, idOrName: string): Promise<void> {
    const dataset = await this.get(projectId, idOrName);
    await this.db.query('DELETE FROM eval_datasets WHERE id = $1', [dataset.id]);
    this.audit.record({
      action: 'dataset.delete',
      projectId,
      target: { type: 'dataset', id: dataset.id },
      before: { name: dataset.name },
    });
  }
}

async function insertItems(
  tx: DatabaseSession,
  datasetId: string,
  version: number,
  items: readonly DatasetItem[],
) {
  for (let start = 0; start < items.length; start += INSERT_BATCH) {
    const batch = items.slice(start, start + INSERT_BATCH);
    const values: string[] = [];
    const params: unknown[] = [datasetId, version];
    batch.forEach(({ split, ...item }, index) => {
      params.push(start + index, split, JSON.stringify(item));
      const base = params.length - 3;
      values.push(`($1, $2, $${base + 1}, $${base + 2}, $${base + 3})`);
    });
    await tx.query(
      `INSERT INTO eval_dataset_items (dataset_id, version, ordinal, split, item) VALUES ${values.join(', ')}`,
      params,
    );
  }
}
