/**
 * @module extraction/project-files
 * The file-store port's folder adapter, the default (`s3-project-files.ts` is the other). A
 * project's files: a local folder in the data directory, `<dataDir>/files/<projectId>/`, made
 * 0700 with files 0600. watsonx names documents and results by reference (`connection_id` plus
 * `location.file_name` or `location.path`); Keel resolves such a name inside the project's folder
 * and refuses any name that would leave it (`..`, absolute paths, control characters).
 *
 * @example
 * const files = new ProjectFiles(dataDir);
 * await files.write('p1', 'reports/q3.pdf', bytes);
 * const data = await files.read('p1', 'reports/q3.pdf');
 */
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import type { FileStoreV1, ProjectFileInfo } from '../spec/file-store.js';

export type { ProjectFileInfo };

/** Largest file a project may store through the file route: 100 MiB. */
export const maxProjectFileBytes = 100 * 1024 * 1024;

function badName(name: string, reason: string): KeelError {
  return new KeelError('invalid_request', `File name "${name.slice(0, 120)}" is not allowed: ${reason}.`, {
    issues: [{ code: 'invalid_file_name', path: ['file_name'], message: reason }],
  });
}

/** The relative path of a file name, checked: segments of printable characters, no `.`/`..`. */
export function safeRelativePath(name: string): string {
  if (typeof name !== 'string') throw badName('', 'a string');
  if (!name || name.length > 512) throw badName(name, 'between 1 and 512 characters');
  if (/[\u0000-\u001f\u007f\\]/.test(name)) throw badName(name, 'no control characters or backslashes');
  const segments = name.replace(/^\/+/, '').split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..'))
    throw badName(name, 'no empty, "." or ".." path segments');
  return segments.join('/');
}

/** A project id usable as a folder name or key prefix: letters, digits, `_`, `.`, `-`, not starting with `.`. */
export function checkProjectId(projectId: string): string {
  if (!/^[\w.-]+$/.test(projectId) || projectId.startsWith('.'))
    throw new KeelError('invalid_request', 'Project id is not usable as a folder name.');
  return projectId;
}

/** The not_found error every adapter answers for a missing file. */
export function fileNotFound(name: string): KeelError {
  return new KeelError('not_found', `No file "${name.slice(0, 120)}" in this project.`, {
    issues: [{ code: 'file_not_found', path: ['location', 'file_name'], message: 'no such file' }],
  });
}

/** The payload_too_large error every adapter answers for a file over the limit. */
export function assertFileSize(data: Uint8Array, limit = maxProjectFileBytes): void {
  if (data.length > limit)
    throw new KeelError('payload_too_large', `The file is ${data.length} bytes; the limit is ${limit}.`);
}

export class ProjectFiles implements FileStoreV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'folder';
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'files');
  }

  folder(projectId: string): string {
    return path.join(this.root, checkProjectId(projectId));
  }

  check(projectId: string, name: string): string {
    checkProjectId(projectId);
    return safeRelativePath(name);
  }

  /** The absolute path of a file of the project (it need not exist). */
  pathOf(projectId: string, name: string): string {
    return path.join(this.folder(projectId), safeRelativePath(name));
  }

  async write(projectId: string, name: string, data: Uint8Array): Promise<ProjectFileInfo> {
    assertFileSize(data);
    const file = this.pathOf(projectId, name);
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, data, { mode: 0o600 });
    await chmod(file, 0o600);
    return this.info(projectId, name);
  }

  async read(projectId: string, name: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(projectId, name));
    } catch (error) {
      if (
        (error as NodeJS.ErrnoException).code === 'ENOENT' ||
        (error as NodeJS.ErrnoException).code === 'EISDIR'
      )
        throw fileNotFound(name);
      throw error;
    }
  }

  async info(projectId: string, name: string): Promise<ProjectFileInfo> {
    const stats = await stat(this.pathOf(projectId, name)).catch(() => undefined);
    if (!stats?.isFile()) throw fileNotFound(name);
    return { name: safeRelativePath(name), bytes: stats.size, modifiedAt: stats.mtime.toISOString() };
  }

  async list(projectId: string): Promise<ProjectFileInfo[]> {
    const folder = this.folder(projectId);
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    const files: ProjectFileInfo[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const name = path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      files.push(await this.info(projectId, name));
    }
    return files.sort((a, b) => a.name.localeCompare(b.name));
  }

  async remove(projectId: string, name: string): Promise<void> {
    await this.info(projectId, name);
    await rm(this.pathOf(projectId, name), { force: true });
  }
}
