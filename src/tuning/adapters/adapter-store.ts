/**
 * @module tuning/adapters/adapter-store
 * Adapter versions: a GGUF file `<data-dir>/adapters/<project>/<name>/v<N>.gguf` and a row in
 * `tuning_adapters` (migration 0027). The file is put in place first and the row inserted after;
 * when the insert fails the file goes again, so there is never a row without its file nor (after
 * a failed registration) a file without its row. Removal deletes the rows first, then the files.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import { makePrivateDir } from '../../core/private-files.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { isUniqueViolation } from '../../storage/core/database-error.js';

export interface AdapterFacts {
  alpha: number | null;
  rank: number;
  /** The base weights it adapts. */
  targets: string[];
  name: string | null;
}

/** What the person registering an adapter says about how it was made (all optional). */
export interface AdapterLineage {
  hyperParameters?: Record<string, string | number | boolean> | undefined;
  dataset?:
    | { name?: string | undefined; sha256?: string | undefined; version?: string | undefined }
    | undefined;
  /** Where the file came from (its upload name, a path or a URL). */
  source?: string | undefined;
}

export interface AdapterVersion {
  name: string;
  version: number;
  baseModel: string;
  baseSha256: string;
  architecture: string;
  sha256: string;
  sizeBytes: number;
  scale: number;
  header: AdapterFacts;
  lineage: AdapterLineage;
  governanceAssetId: string | null;
  createdBy: string | null;
  createdAt: string;
}

export type NewAdapterVersion = Omit<AdapterVersion, 'version' | 'createdAt' | 'governanceAssetId'>;

interface AdapterRow {
  name: string;
  version: number;
  base_model: string;
  base_sha256: string;
  architecture: string;
  sha256: string;
  size_bytes: string | number;
  scale: number;
  header: AdapterFacts;
  lineage: AdapterLineage;
  governance_asset_id: string | null;
  created_by: string | null;
  created_at: Date | string;
}

const COLUMNS = `name, version, base_model, base_sha256, architecture, sha256, size_bytes, scale, header,
  lineage, governance_asset_id, created_by, created_at`;

function fromRow(row: AdapterRow): AdapterVersion {
  return {
    name: row.name,
    version: row.version,
    baseModel: row.base_model,
    baseSha256: row.base_sha256,
    architecture: row.architecture,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    scale: row.scale,
    header: row.header,
    lineage: row.lineage,
    governanceAssetId: row.governance_asset_id,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export class AdapterStore {
  readonly #root: string;

  constructor(
    private readonly db: DatabaseV1,
    dataDir: string,
  ) {
    this.#root = path.join(dataDir, 'adapters');
  }

  /** Where uploads are written before they are checked: beside the store, so a rename moves them. */
  async uploadFile(): Promise<string> {
    const dir = path.join(this.#root, '.uploads');
    await makePrivateDir(dir);
    return path.join(dir, `${randomUUID()}.gguf`);
  }

  /** The file of one version. */
  fileOf(projectId: string, name: string, version: number): string {
    if (!/^[A-Za-z0-9_-]+$/.test(projectId)) throw new KeelError('invalid_request', 'Bad project id.');
    return path.join(this.#root, projectId, name, `v${version}.gguf`);
  }

  /** Latest version of each adapter, by name. */
  async list(projectId: string): Promise<AdapterVersion[]> {
    const { rows } = await this.db.query<AdapterRow>(
      `SELECT DISTINCT ON (name) ${COLUMNS} FROM tuning_adapters
       WHERE project_id = $1 ORDER BY name, version DESC`,
      [projectId],
    );
    return rows.map(fromRow);
  }

  /** Every version of one adapter, oldest first (empty when there is none). */
  async versions(projectId: string, name: string): Promise<AdapterVersion[]> {
    const { rows } = await this.db.query<AdapterRow>(
      `SELECT ${COLUMNS} FROM tuning_adapters WHERE project_id = $1 AND name = $2 ORDER BY version`,
      [projectId, name],
    );
    return rows.map(fromRow);
  }

  /** One version (default: the latest), or undefined. */
  async get(projectId: string, name: string, version?: number): Promise<AdapterVersion | undefined> {
    const { rows } = await this.db.query<AdapterRow>(
      `SELECT ${COLUMNS} FROM tuning_adapters WHERE project_id = $1 AND name = $2
       AND ($3::integer IS NULL OR version = $3) ORDER BY version DESC LIMIT 1`,
      [projectId, name, version ?? null],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /**
   * Adds the next version of `input.name` from `source`: moved into place when `move` (an upload's
   * temporary file), else copied. Registrations of one adapter are serialised by a transaction
   * lock, so two at once get consecutive versions and neither file overwrites the other; the file
   * is removed again when the row is not committed.
   */
  async create(
    projectId: string,
    input: NewAdapterVersion,
    source: { file: string; move: boolean },
  ): Promise<AdapterVersion> {
    let placed: string | undefined;
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `tuning_adapters/${projectId}/${input.name}`,
        ]);
        const { rows: latest } = await tx.query<{ version: number | null }>(
          'SELECT max(version) AS version FROM tuning_adapters WHERE project_id = $1 AND name = $2',
          [projectId, input.name],
        );
        const version = (latest[0]?.version ?? 0) + 1;
        const file = this.fileOf(projectId, input.name, version);
        await makePrivateDir(path.dirname(file));
        if (source.move) await rename(source.file, file);
        else await copyFile(source.file, file);
        placed = file;
        const { rows } = await tx.query<AdapterRow>(
          `INSERT INTO tuning_adapters (project_id, name, version, base_model, base_sha256, architecture,
             sha256, size_bytes, scale, header, lineage, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
          [
            projectId,
            input.name,
            version,
            input.baseModel,
            input.baseSha256,
            input.architecture,
            input.sha256,
            input.sizeBytes,
            input.scale,
            JSON.stringify(input.header),
            JSON.stringify(input.lineage),
            input.createdBy,
          ],
        );
        return fromRow(rows[0]!);
      });
    } catch (error) {
      if (placed) await rm(placed, { force: true });
      if (isUniqueViolation(error)) {
        throw new KeelError('conflict', `Adapter ${input.name} was registered meanwhile.`, {
          cause: error,
          data: { hint: 'Register it again.' },
        });
      }
      throw error;
    }
  }

  async setGovernanceAsset(projectId: string, name: string, version: number, assetId: string): Promise<void> {
    await this.db.query(
      `UPDATE tuning_adapters SET governance_asset_id = $4 WHERE project_id = $1 AND name = $2 AND version = $3`,
      [projectId, name, version, assetId],
    );
  }

  /** Removes one version, or every version when `version` is undefined; the rows go before the files. */
  async remove(projectId: string, name: string, version?: number): Promise<AdapterVersion[]> {
    const { rows } = await this.db.query<AdapterRow>(
      `DELETE FROM tuning_adapters WHERE project_id = $1 AND name = $2
       AND ($3::integer IS NULL OR version = $3) RETURNING ${COLUMNS}`,
      [projectId, name, version ?? null],
    );
    const removed = rows.map(fromRow);
    await Promise.all(removed.map((r) => rm(this.fileOf(projectId, r.name, r.version), { force: true })));
    if ((await this.versions(projectId, name)).length === 0) {
      await rm(path.dirname(this.fileOf(projectId, name, 1)), { recursive: true, force: true });
    }
    return removed;
  }
}
