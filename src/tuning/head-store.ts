/**
 * @module tuning/head-store
 * Trained heads in the database (`tuning_heads`, migration 0032), so every replica serves what any
 * replica trained. Each version is one row: its lineage and metrics (`info`) and its stored form
 * (the `keel.head.v2` JSON with the weights) with that text's SHA-256, checked before the weights
 * are used: text changed in the database is refused (`checksum_mismatch`). Versions of one head are
 * numbered under a transaction lock, so saves at once get consecutive numbers on any replica; a
 * training job saves at most one version (a job resumed after its worker died gets the one it
 * saved). Each project's list is cached and dropped on change notifications; loaded weights are
 * kept for the most recently used versions and dropped with their project's list. Heads that an
 * earlier release kept as files (`<data-dir>/heads/`) are imported on first use, and the folder
 * is then renamed `heads.imported` (kept as a backup).
 */
import { readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/logger.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';
import { changeFeed, InvalidatingCache } from '../storage/core/cache-invalidation.js';
import { isForeignKeyViolation, isUniqueViolation } from '../storage/core/database-error.js';
import {
  HEAD_NAME,
  type HeadVersionInfo,
  headText,
  modelOf,
  type NewHeadVersion,
  sha256,
} from './head-file.js';
import type { HeadModel } from './head-model.js';

/** A project's heads: each name's versions, oldest first. */
type HeadIndex = ReadonlyMap<string, readonly HeadVersionInfo[]>;

export interface HeadStoreOptions {
  /** Where an earlier release kept heads as files (`<data-dir>/heads`), imported on first use. */
  legacyDir?: string | undefined;
  logger?: Logger | undefined;
  /** Loaded versions kept in memory (default 16). */
  cachedModels?: number | undefined;
}

interface HeadRow {
  info: HeadVersionInfo;
  sha256: string;
}

const withSha = (row: HeadRow): HeadVersionInfo => ({ ...row.info, fileSha256: row.sha256 });

export class HeadStore {
  readonly #db: DatabaseV1;
  readonly #options: HeadStoreOptions;
  readonly #lists = new InvalidatingCache<HeadIndex>({ ttlMs: 60_000 });
  /** Loaded weights by project, name and version, most recently used last. */
  readonly #models = new Map<string, { sha256: string; model: HeadModel }>();
  #imported: Promise<void> | undefined;

  constructor(db: DatabaseV1, options: HeadStoreOptions = {}) {
    this.#db = db;
    this.#options = options;
    this.#lists.follow(changeFeed(db), 'tuning_heads');
  }

  #ready(): Promise<void> {
    this.#imported ??= this.#importLegacy().catch((error: unknown) => {
      this.#imported = undefined; // tried again on the next use
      throw error;
    });
    return this.#imported;
  }

  async #index(projectId: string): Promise<HeadIndex> {
    await this.#ready();
    return this.#lists.get(projectId, async () => {
      // The list is read again after a change: weights loaded before it are checked again too.
      for (const key of this.#models.keys()) if (key.startsWith(`${projectId}\0`)) this.#models.delete(key);
      const { rows } = await this.#db.query<HeadRow>(
        'SELECT info, sha256 FROM tuning_heads WHERE project_id = $1 ORDER BY name, version',
        [projectId],
      );
      const index = new Map<string, HeadVersionInfo[]>();
      for (const row of rows) {
        const versions = index.get(row.info.name) ?? [];
        versions.push(withSha(row));
        index.set(row.info.name, versions);
      }
      return index;
    });
  }

  async list(projectId: string): Promise<HeadVersionInfo[]> {
    return [...(await this.#index(projectId)).values()]
      .map((versions) => versions[versions.length - 1] as HeadVersionInfo)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async versions(projectId: string, name: string): Promise<HeadVersionInfo[]> {
    const versions = (await this.#index(projectId)).get(name);
    if (!versions) throw new KeelError('not_found', `Head ${name} not found.`);
    return [...versions];
  }

  /** The version a training job saved, if it saved one. */
  async byJob(projectId: string, jobId: string): Promise<HeadVersionInfo | undefined> {
    await this.#ready();
    const { rows } = await this.#db.query<HeadRow>(
      'SELECT info, sha256 FROM tuning_heads WHERE project_id = $1 AND job_id = $2',
      [projectId, jobId],
    );
    return rows[0] ? withSha(rows[0]) : undefined;
  }

  /**
   * Stores a new version of `name` and returns its info (version numbers start at 1). A version
   * saved before by the same job (`info.jobId`) is returned instead of saving another.
   */
  async save(projectId: string, partial: NewHeadVersion, model: HeadModel): Promise<HeadVersionInfo> {
    if (!HEAD_NAME.test(partial.name))
      throw new KeelError('invalid_request', `Bad head name ${partial.name}.`);
    await this.#ready();
    try {
      return await this.#db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `tuning_heads/${projectId}/${partial.name}`,
        ]);
        if (partial.jobId) {
          const { rows } = await tx.query<HeadRow>(
            'SELECT info, sha256 FROM tuning_heads WHERE project_id = $1 AND job_id = $2',
            [projectId, partial.jobId],
          );
          if (rows[0]) return withSha(rows[0]);
        }
        const { rows: latest } = await tx.query<{ version: number | null }>(
          'SELECT max(version) AS version FROM tuning_heads WHERE project_id = $1 AND name = $2',
          [projectId, partial.name],
        );
        const info: HeadVersionInfo = {
          ...partial,
          version: (latest[0]?.version ?? 0) + 1,
          createdAt: new Date().toISOString(),
        };
        const text = headText(info, model);
        info.fileSha256 = sha256(text);
        await insertVersion(tx, projectId, info, text);
        return info;
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new KeelError('conflict', `Head ${partial.name} was saved meanwhile.`, {
          cause: error,
          data: { hint: 'Train it again.' },
        });
      throw error;
    } finally {
      this.#lists.invalidate(projectId);
    }
  }

  /** Records facts learnt after the save (the governance asset id) on one version. */
  async annotate(
    projectId: string,
    name: string,
    version: number,
    patch: Pick<HeadVersionInfo, 'governanceAssetId'>,
  ): Promise<HeadVersionInfo> {
    await this.#ready();
    const { rows } = await this.#db.query<HeadRow>(
      `UPDATE tuning_heads SET info = info || $4::jsonb
        WHERE project_id = $1 AND name = $2 AND version = $3 RETURNING info, sha256`,
      [projectId, name, version, JSON.stringify(patch)],
    );
    this.#lists.invalidate(projectId);
    if (!rows[0]) throw new KeelError('not_found', `Head ${name} has no version ${version}.`);
    return withSha(rows[0]);
  }

  /** Removes one version (a job that failed after saving it); the head goes when its last version does. */
  async remove(projectId: string, name: string, version: number): Promise<void> {
    await this.#ready();
    await this.#db.query('DELETE FROM tuning_heads WHERE project_id = $1 AND name = $2 AND version = $3', [
      projectId,
      name,
      version,
    ]);
    this.#lists.invalidate(projectId);
    this.#models.delete(modelKey(projectId, name, version));
  }

  /** Loads a version (default: the latest) as a model ready to classify; refuses changed text. */
  async load(
    projectId: string,
    name: string,
    version?: number,
  ): Promise<{ info: HeadVersionInfo; model: HeadModel }> {
    const versions = await this.versions(projectId, name);
    const info =
      version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
    if (!info) throw new KeelError('not_found', `Head ${name} has no version ${version}.`);
    const key = modelKey(projectId, name, info.version);
    const cached = this.#models.get(key);
    if (cached && cached.sha256 === info.fileSha256) {
      this.#models.delete(key); // most recently used last
      this.#models.set(key, cached);
      return { info, model: cached.model };
    }
    const { rows } = await this.#db.query<{ content: string }>(
      'SELECT content FROM tuning_heads WHERE project_id = $1 AND name = $2 AND version = $3',
      [projectId, name, info.version],
    );
    const text = rows[0]?.content;
    if (text === undefined) throw new KeelError('not_found', `Head ${name} has no version ${info.version}.`);
    const sum = sha256(text);
    if (sum !== info.fileSha256) {
      throw new KeelError(
        'checksum_mismatch',
        `Head ${name} version ${info.version} was changed in the database; refusing it.`,
        { data: { head: name, version: info.version } },
      );
    }
    const model = modelOf(info, text);
    this.#models.set(key, { sha256: sum, model });
    const limit = this.#options.cachedModels ?? 16;
    for (const oldest of this.#models.keys()) {
      if (this.#models.size <= limit) break;
      this.#models.delete(oldest);
    }
    return { info, model };
  }

  /**
   * Brings in the heads an earlier release stored as files: each project's `index.json` and its
   * version files, checked against the SHA-256 the index kept. Versions already in the database
   * (another replica imported the same folder) are left as they are; a project that no longer
   * exists, or a file changed on disk, is skipped with a warning. The folder is renamed once
   * every version was imported or skipped, so the import runs once.
   */
  async #importLegacy(): Promise<void> {
    const root = this.#options.legacyDir;
    if (!root) return;
    let projects: string[];
    try {
      projects = await readdir(root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const logger = this.#options.logger ?? silentLogger;
    let imported = 0;
    for (const projectId of projects) {
      let index: { heads: Record<string, HeadVersionInfo[]> };
      try {
        index = JSON.parse(await readFile(path.join(root, projectId, 'index.json'), 'utf8'));
      } catch {
        continue; // not a project folder
      }
      for (const [name, versions] of Object.entries(index.heads ?? {})) {
        for (const info of versions) {
          const text = await readFile(
            path.join(root, projectId, name, `v${info.version}.json`),
            'utf8',
          ).catch(() => undefined);
          if (text === undefined || (info.fileSha256 !== undefined && sha256(text) !== info.fileSha256)) {
            logger.warn(
              { projectId, head: name, version: info.version },
              'head file missing or changed; not imported',
            );
            continue;
          }
          try {
            imported += await insertVersion(
              this.#db,
              projectId,
              { ...info, fileSha256: sha256(text) },
              text,
              true,
            );
          } catch (error) {
            if (!isForeignKeyViolation(error)) throw error;
            logger.warn({ projectId, head: name }, 'head of a project that no longer exists; not imported');
          }
        }
      }
    }
    const kept = `${root}.imported`;
    await rename(root, kept).catch((error: NodeJS.ErrnoException) => {
      // An earlier import's folder is still there: keep both.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      return rename(root, `${kept}-${Date.now()}`);
    });
    logger.info({ imported, from: root }, 'imported heads stored as files');
  }
}

function modelKey(projectId: string, name: string, version: number): string {
  return `${projectId}\0${name}\0${version}`;
}

/** Inserts one version; with `keep`, a version already there is left alone. Returns rows written. */
async function insertVersion(
  session: DatabaseSession,
  projectId: string,
  info: HeadVersionInfo,
  text: string,
  keep = false,
): Promise<number> {
  const { fileSha256, ...stored } = info;
  const result = await session.query(
    `INSERT INTO tuning_heads (project_id, name, version, info, content, sha256, job_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)${keep ? ' ON CONFLICT DO NOTHING' : ''}`,
    [
      projectId,
      info.name,
      info.version,
      JSON.stringify(stored),
      text,
      fileSha256,
      info.jobId,
      info.createdAt,
    ],
  );
  return result.affectedRows;
}
