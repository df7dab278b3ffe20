/**
 * @module storage/pglite-worker/driver
 * The embedded database on its own thread. PGlite runs PostgreSQL compiled to WASM, and on the
 * server's event loop every statement — a usage flush, an ingestion batch — would stall every
 * request in flight. Here PGlite lives in a worker thread (`worker.mjs`); statements and their
 * rows cross as structured-clone messages, so values (Date, number, arrays, JSON) arrive exactly
 * as from the in-process adapter.
 */
import { Worker } from 'node:worker_threads';
import { KeelError } from '../../core/errors.js';
import { makePrivateDir, makeTreePrivate, umaskIsPermissive } from '../../core/private-files.js';
import type { DatabaseSession, DatabaseV1, QueryResult } from '../../spec/database.js';
import { translateDatabaseError } from '../core/database-error.js';

interface Reply {
  id?: number;
  ok?: boolean;
  value?: unknown;
  error?: { message: string; code?: string; constraint?: string; detail?: string; name?: string };
  ready?: boolean;
  /** A NOTIFY the worker's PGlite received, posted before the reply of the statement that committed it. */
  notification?: { channel: string; payload: string };
}

type Request =
  | { type: 'query'; sql: string; params: readonly unknown[] }
  | { type: 'exec'; sql: string }
  | { type: 'begin' }
  | { type: 'commit' }
  | { type: 'rollback' }
  | { type: 'dump' }
  | { type: 'listen'; channel: string }
  | { type: 'unlisten'; channel: string }
  | { type: 'close' };

export interface PGliteWorkerOptions {
  /** Directory for the database files; omit for an in-memory database. */
  dataDir?: string;
  /** A data directory tarball (from `dumpDataDir`) to start from. */
  loadDataDir?: Uint8Array;
}

export async function createPGliteWorkerDatabase(
  options: PGliteWorkerOptions = {},
): Promise<PGliteWorkerDatabase> {
  // Owner-only files (core/private-files): PGlite creates its files with the process umask, so
  // they are made private once it has opened (existing ones and those it just created).
  if (options.dataDir) await makePrivateDir(options.dataDir);
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
    workerData: { dataDir: options.dataDir, loadDataDir: options.loadDataDir },
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: Reply) => {
      if (message.ready) {
        worker.off('error', reject);
        resolve();
      }
    };
    worker.once('message', onMessage);
    worker.once('error', (error) =>
      reject(
        new KeelError('service_unavailable', `The embedded database did not start: ${error.message}`, {
          cause: error,
        }),
      ),
    );
  });
  if (options.dataDir) await makeTreePrivate(options.dataDir);
  return new PGliteWorkerDatabase(worker, options.dataDir);
}

/** How often files PGlite created under a permissive umask are made private again. */
const PERMISSION_SWEEP_MS = 60_000;

class WorkerChannel {
  #nextId = 1;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: unknown) => void }
  >();
  #failure: Error | undefined;
  readonly listeners = new Map<string, Set<(payload: string) => void>>();

  constructor(readonly worker: Worker) {
    worker.on('message', (message: Reply) => {
      if (message.notification) {
        for (const listener of this.listeners.get(message.notification.channel) ?? [])
          listener(message.notification.payload);
        return;
      }
      if (message.id === undefined) return;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else {
        const error = Object.assign(new Error(message.error?.message ?? 'database error'), {
          code: message.error?.code,
          constraint: message.error?.constraint,
          detail: message.error?.detail,
        });
        pending.reject(translateDatabaseError(error));
      }
    });
    const failAll = (error: Error) => {
      this.#failure = error;
      for (const pending of this.#pending.values())
        pending.reject(
          new KeelError('service_unavailable', `The embedded database stopped: ${error.message}`, {
            cause: error,
          }),
        );
      this.#pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`its thread exited with code ${code}`)));
  }

  send<T>(request: Request, tx?: number): Promise<T> {
    if (this.#failure)
      return Promise.reject(
        new KeelError('service_unavailable', `The embedded database stopped: ${this.#failure.message}`),
      );
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id, ...(tx !== undefined ? { tx } : {}) });
    });
  }
}

class WorkerSession implements DatabaseSession {
  constructor(
    protected readonly channel: WorkerChannel,
    private readonly tx?: number,
  ) {}

  query<Row = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<QueryResult<Row>> {
    return this.channel.send<QueryResult<Row>>({ type: 'query', sql, params }, this.tx);
  }

  async exec(sql: string): Promise<void> {
    await this.channel.send({ type: 'exec', sql }, this.tx);
  }
}

export class PGliteWorkerDatabase extends WorkerSession implements DatabaseV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'pglite' as const;
  #closed = false;
  readonly #dataDir: string | undefined;
  #sweep: NodeJS.Timeout | undefined;

  constructor(worker: Worker, dataDir?: string) {
    super(new WorkerChannel(worker));
    this.#dataDir = dataDir;
    if (!dataDir) return;
    // Under `keel` the umask is 077 already; an embedding process may have a looser one.
    if (umaskIsPermissive()) {
      this.#sweep = setInterval(() => void makeTreePrivate(dataDir), PERMISSION_SWEEP_MS);
      this.#sweep.unref();
    }
  }

  async transaction<T>(fn: (tx: DatabaseSession) => Promise<T>): Promise<T> {
    const tx = await this.channel.send<number>({ type: 'begin' });
    let result: T;
    try {
      result = await fn(new WorkerSession(this.channel, tx));
    } catch (error) {
      await this.channel.send({ type: 'rollback' }, tx).catch(() => {});
      throw error;
    }
    await this.channel.send({ type: 'commit' }, tx);
    return result;
  }

  async availableExtensions(): Promise<string[]> {
    const result = await this.query<{ name: string }>('SELECT name FROM pg_available_extensions');
    return result.rows.map((row) => row.name);
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    let listeners = this.channel.listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.channel.listeners.set(channel, listeners);
      await this.channel.send({ type: 'listen', channel });
    }
    listeners.add(onNotify);
    return async () => {
      listeners.delete(onNotify);
      if (listeners.size || this.channel.listeners.get(channel) !== listeners) return;
      this.channel.listeners.delete(channel);
      await this.channel.send({ type: 'unlisten', channel }).catch(() => {});
    };
  }

  /** A tarball of the data directory, to seed other instances quickly. */
  dumpDataDir(): Promise<Uint8Array> {
    return this.channel.send<Uint8Array>({ type: 'dump' });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sweep) clearInterval(this.#sweep);
    await this.channel.send({ type: 'close' }).catch(() => {});
    await this.channel.worker.terminate();
    if (this.#dataDir) await makeTreePrivate(this.#dataDir);
  }
}
