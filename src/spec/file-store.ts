/**
 * @module spec/file-store
 * The file-store port, version 1: a project's stored files (the documents text extraction and
 * classification read, and the results they write), named by relative paths inside the project.
 * Adapters: a local folder (`extraction/project-files`, the default) and S3-compatible object
 * storage (`extraction/s3-project-files`). Every adapter passes `test/conformance/file-store.suite.ts`.
 */
export interface ProjectFileInfo {
  /** The relative path inside the project, `/`-separated. */
  name: string;
  bytes: number;
  modifiedAt: string;
}

export interface FileStoreV1 {
  readonly specificationVersion: 'v1';
  /** `folder` or `s3`. */
  readonly provider: string;
  /**
   * The name checked and normalised (no leading `/`), or a coded `invalid_request` for a name that
   * could leave the project (`..`, control characters) or a project id that cannot name its space.
   */
  check(projectId: string, name: string): string;
  /** Stores the bytes under the name, replacing what was there; `payload_too_large` over the limit. */
  write(projectId: string, name: string, data: Uint8Array): Promise<ProjectFileInfo>;
  /** The file's bytes, or a coded `not_found`. */
  read(projectId: string, name: string): Promise<Buffer>;
  /** Size and modification time, or a coded `not_found`. */
  info(projectId: string, name: string): Promise<ProjectFileInfo>;
  /** Every file of the project, by name. */
  list(projectId: string): Promise<ProjectFileInfo[]>;
  /** Deletes the file, or a coded `not_found` when there is none. */
  remove(projectId: string, name: string): Promise<void>;
}
