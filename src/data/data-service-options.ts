/**
 * @module data/data-service-options
 * What the data service is built with: the database, the audit log, the data directory and the
 * shared file store, limits, the masking key, Trino projects and the model calls `ask` makes.
 */
import type { AuditRecorder } from '../audit/index.js';
import type { GenerationService } from '../models/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { FileStoreV1 } from '../spec/file-store.js';

export interface DataServiceOptions {
  db: DatabaseV1;
  audit: AuditRecorder;
  dataDir: string;
  /** Local folders whose files may be added as sources by path (none by default). */
  localRoots?: readonly string[];
  /** Where DuckDB extensions are loaded from (SQLite files, URLs and Iceberg tables need them). */
  extensionDirectory?: string | undefined;
  /** Whether source URLs may name private and loopback addresses. */
  allowPrivateNetwork?: boolean | undefined;
  /** Where uploads are kept for every replica (data-sources.ts). */
  shared?: FileStoreV1 | undefined;
  memoryLimit?: string;
  maxRows?: number;
  timeoutMs?: number;
  /** Keys the hashes of masked values (the server's secret key); a fixed key when absent (tests). */
  secretKey?: Buffer;
  exportMaxRows?: number;
  /** Projects whose tables live on Trino (project id → schema of `catalog`), and the endpoint. */
  trino?:
    | {
        server: string;
        user: string;
        password?: string | undefined;
        catalog: string;
        projects: Record<string, string>;
      }
    | undefined;
  /** Model calls for natural-language questions (`ask`). */
  generation?: Pick<GenerationService, 'generate'>;
}
