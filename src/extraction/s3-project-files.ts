/**
 * @module extraction/s3-project-files
 * The file-store port's S3 adapter: a project's files as objects in an S3-compatible bucket (AWS
 * S3, MinIO, Ceph, IBM Cloud Object Storage …), keyed `<prefix><projectId>/<name>`. Requests are
 * made and SigV4-signed by the AWS SDK's S3 client; path-style addressing is the default, since
 * most S3-compatible servers want it. The SDK is loaded on first use (it is large, and only
 * installations that store files in S3 need it). The credentials live only inside the client:
 * they are in no error, no log line and not in this object's JSON.
 *
 * @example
 * const files = new S3ProjectFiles({
 *   endpoint: 'https://s3.example.com', bucket: 'keel-files', region: 'us-east-1',
 *   accessKeyId: '…', secretAccessKey: '…',
 * });
 * await files.write('p1', 'reports/q3.pdf', bytes);
 */
import type { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { KeelError } from '../core/errors.js';
import type { FileStoreV1, ProjectFileInfo } from '../spec/file-store.js';
import { assertFileSize, checkProjectId, fileNotFound, safeRelativePath } from './project-files.js';

export interface S3FileStoreOptions {
  /** The server's base URL; unset means AWS S3 itself. */
  endpoint?: string | undefined;
  bucket: string;
  region: string;
  /** Prepended to every key, e.g. `keel/` (default `files/`). */
  prefix?: string | undefined;
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`), default true; false for virtual-hosted buckets. */
  forcePathStyle?: boolean | undefined;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** Per-request timeout, milliseconds (default 30,000). */
  timeoutMs?: number | undefined;
  /** Largest file written (default the project file limit, 100 MiB). */
  maxBytes?: number | undefined;
}

type S3Sdk = typeof import('@aws-sdk/client-s3');

/** An error the S3 server answered (the SDK's service exceptions carry `$fault` and `$metadata`). */
function isServiceError(error: unknown): error is S3ServiceException {
  return typeof error === 'object' && error !== null && '$fault' in error && '$metadata' in error;
}

/** S3's answer for a missing object: `NoSuchKey` on GET, a bare 404 (`NotFound`) on HEAD. */
function isMissing(error: unknown): boolean {
  return (
    isServiceError(error) &&
    (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404)
  );
}

/** Storage errors as Keel's: what the server said (its error code), never the request or credentials. */
function storageError(error: unknown, action: string): KeelError {
  if (error instanceof KeelError) return error;
  if (isServiceError(error)) {
    const status = error.$metadata.httpStatusCode;
    return new KeelError(
      'upstream_error',
      `The file storage refused to ${action}: ${error.name}${status ? ` (HTTP ${status})` : ''}.`,
      { data: { storage: 's3', code: error.name, ...(status ? { status } : {}) } },
    );
  }
  return new KeelError('upstream_unavailable', `The file storage could not be reached to ${action}.`, {
    data: { storage: 's3', reason: (error as Error)?.name ?? 'Error' },
  });
}

export class S3ProjectFiles implements FileStoreV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 's3';
  readonly bucket: string;
  readonly prefix: string;
  readonly endpoint: string | undefined;
  readonly #options: S3FileStoreOptions;
  #connection: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;

  constructor(options: S3FileStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? 'files/';
    this.endpoint = options.endpoint;
    this.#options = options;
  }

  /** The SDK and one client, made on first use. */
  #connect(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    this.#connection ??= import('@aws-sdk/client-s3').then((sdk) => {
      const options = this.#options;
      const client = new sdk.S3Client({
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        forcePathStyle: options.forcePathStyle ?? true,
        credentials: {
          accessKeyId: options.accessKeyId,
          secretAccessKey: options.secretAccessKey,
          ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
        },
        // Checksums only where S3 requires them: many S3-compatible servers reject the newer
        // flexible-checksum headers.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
        requestHandler: { requestTimeout: options.timeoutMs ?? 30_000, connectionTimeout: 5_000 },
      });
      return { sdk, client };
    });
    return this.#connection;
  }

  /** What may be shown of this store (no credentials). */
  toJSON(): Record<string, unknown> {
    return { provider: this.provider, bucket: this.bucket, prefix: this.prefix, endpoint: this.endpoint };
  }

  check(projectId: string, name: string): string {
    checkProjectId(projectId);
    return safeRelativePath(name);
  }

  #projectPrefix(projectId: string): string {
    return `${this.prefix}${checkProjectId(projectId)}/`;
  }

  #key(projectId: string, name: string): string {
    return `${this.#projectPrefix(projectId)}${safeRelativePath(name)}`;
  }

  async write(projectId: string, name: string, data: Uint8Array): Promise<ProjectFileInfo> {
    assertFileSize(data, this.#options.maxBytes);
    const key = this.#key(projectId, name);
    try {
      const { sdk, client } = await this.#connect();
      await client.send(
        new sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentLength: data.length }),
      );
    } catch (error) {
      throw storageError(error, 'store the file');
    }
    return this.info(projectId, name);
  }

  async read(projectId: string, name: string): Promise<Buffer> {
    const key = this.#key(projectId, name);
    try {
      const { sdk, client } = await this.#connect();
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!object.Body) return Buffer.alloc(0);
      return Buffer.from(await object.Body.transformToByteArray());
    } catch (error) {
      if (isMissing(error)) throw fileNotFound(name);
      throw storageError(error, 'read the file');
    }
  }

  async info(projectId: string, name: string): Promise<ProjectFileInfo> {
    const key = this.#key(projectId, name);
    try {
      const { sdk, client } = await this.#connect();
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        name: safeRelativePath(name),
        bytes: head.ContentLength ?? 0,
        modifiedAt: (head.LastModified ?? new Date(0)).toISOString(),
      };
    } catch (error) {
      if (isMissing(error)) throw fileNotFound(name);
      throw storageError(error, 'look up the file');
    }
  }

  async list(projectId: string): Promise<ProjectFileInfo[]> {
    const prefix = this.#projectPrefix(projectId);
    const files: ProjectFileInfo[] = [];
    let token: string | undefined;
    try {
      const { sdk, client } = await this.#connect();
      do {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const object of page.Contents ?? []) {
          if (!object.Key?.startsWith(prefix) || object.Key.endsWith('/')) continue;
          files.push({
            name: object.Key.slice(prefix.length),
            bytes: object.Size ?? 0,
            modifiedAt: (object.LastModified ?? new Date(0)).toISOString(),
          });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw storageError(error, 'list the files');
    }
    return files.sort((a, b) => a.name.localeCompare(b.name));
  }

  async remove(projectId: string, name: string): Promise<void> {
    await this.info(projectId, name);
    try {
      const { sdk, client } = await this.#connect();
      await client.send(
        new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.#key(projectId, name) }),
      );
    } catch (error) {
      throw storageError(error, 'delete the file');
    }
  }

  /** Closes the client's connections. */
  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) (await connection.catch(() => undefined))?.client.destroy();
  }
}
