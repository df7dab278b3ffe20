/**
 * @module tuning/adapters/adapter-service
 * LoRA adapters as governed assets of a project: registered from an upload or a file under the
 * models directory after their header is checked against the base model, stored as versions with
 * their SHA-256 and the base's, optionally entered in a governance use case with their lineage,
 * and served by the llama.cpp provider as `llamacpp:<base>+<name>` through `source()` — behind the
 * same serving gate as heads. A failed registration leaves neither a file nor a row nor an asset.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { servedCall } from '../../deployments/ledger/index.js';
import { hashFile } from '../../models/index.js';
import type { AdapterHostV1, AdapterSourceV1 } from '../../spec/adapter-source.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { HEAD_NAME } from '../head-file.js';
import { checkServingGate } from '../serving-gate.js';
import type { HeadGovernance } from '../tuning-service.js';
import { checkAdapterFits, readAdapterHeader, readBaseModelShape } from './adapter-header.js';
import { type AdapterLineage, AdapterStore, type AdapterVersion } from './adapter-store.js';

/** Adapter names: lower-case letters, digits, `.`, `_`, `-` (no `+` or `@`, which model ids use). */
export const ADAPTER_NAME = HEAD_NAME;

export interface AdapterServiceDeps {
  db: DatabaseV1;
  dataDir: string;
  audit: AuditRecorder;
  /** The provider that applies adapters, and its name (the model id prefix). */
  host?: (AdapterHostV1 & { readonly name: string }) | undefined;
  governance?: HeadGovernance | undefined;
}

export interface RegisterAdapter {
  name: string;
  /** The base model: `llamacpp:<id>` or `<id>`. */
  baseModel: string;
  /** The file: an upload's temporary file (moved into the store) or one to copy. */
  file: { path: string; move: boolean; source: string };
  scale?: number | undefined;
  lineage?: Omit<AdapterLineage, 'source'> | undefined;
  /** Enter the version in this governance use case (it then needs approval for production). */
  useCaseId?: string | undefined;
}

export class AdapterService {
  readonly store: AdapterStore;
  readonly #deps: AdapterServiceDeps;
  /** Base model hashes by file, while the file is unchanged (hashing gigabytes takes seconds). */
  readonly #baseHashes = new Map<string, { stamp: string; sha256: Promise<string> }>();

  constructor(deps: AdapterServiceDeps) {
    this.#deps = deps;
    this.store = new AdapterStore(deps.db, deps.dataDir);
  }

  /** The provider prefix of adapter model ids (`llamacpp`). */
  get provider(): string {
    return this.#deps.host?.name ?? 'llamacpp';
  }

  /** The model id an adapter version answers to. */
  modelId(version: Pick<AdapterVersion, 'baseModel' | 'name'>): string {
    return `${this.provider}:${version.baseModel}+${version.name}`;
  }

  #host(): AdapterHostV1 & { readonly name: string } {
    const host = this.#deps.host;
    if (!host) {
      // The base model names a llama.cpp model, and there is none here: a 404 on the caller's
      // input, not a server fault.
      throw new KeelError(
        'model_not_found',
        'LoRA adapters apply to llama.cpp base models, and llama.cpp is not configured in this instance.',
        {
          issues: [{ code: 'no_adapter_host', path: ['base_model'], message: 'llama.cpp is not configured' }],
        },
      );
    }
    return host;
  }

  /** A file under the models directory, by its path relative to it (never outside it). */
  modelsDirFile(relative: string): string {
    const modelsDir = path.resolve(this.#host().modelsDir);
    const file = path.resolve(modelsDir, relative);
    if (path.isAbsolute(relative) || !file.startsWith(`${modelsDir}${path.sep}`)) {
      throw new KeelError('invalid_request', 'The path must lie inside the models directory.', {
        issues: [{ code: 'path_outside_models_dir', path: ['path'], message: 'a path relative to models/' }],
      });
    }
    return file;
  }

  async #baseHash(file: string): Promise<string> {
    const info = await stat(file);
    const stamp = `${info.size}:${info.mtimeMs}`;
    const cached = this.#baseHashes.get(file);
    if (cached?.stamp === stamp) return cached.sha256;
    const sha256 = hashFile(file);
    this.#baseHashes.set(file, { stamp, sha256 });
    sha256.catch(() => this.#baseHashes.delete(file));
    return sha256;
  }

  /**
   * Checks the file against the base model and stores it as the adapter's next version. Coded
   * refusals: `adapter_not_lora`, `adapter_architecture_mismatch`, `adapter_base_mismatch`,
   * `model_not_found` (no such base), `conflict` (a new version on another base).
   */
  async register(projectId: string, input: RegisterAdapter, actor: string | null): Promise<AdapterVersion> {
    try {
      return await this.#register(projectId, input, actor);
    } finally {
      // An upload that was not moved into the store is dropped: nothing half-registered remains.
      if (input.file.move) await rm(input.file.path, { force: true });
    }
  }

  async #register(projectId: string, input: RegisterAdapter, actor: string | null): Promise<AdapterVersion> {
    if (!ADAPTER_NAME.test(input.name)) {
      throw new KeelError('invalid_request', `Bad adapter name ${input.name}.`, {
        issues: [{ code: 'invalid_name', path: ['name'], message: 'lower-case letters, digits, . _ -' }],
      });
    }
    const host = this.#host();
    const prefix = `${host.name}:`;
    const baseModel = input.baseModel.startsWith(prefix)
      ? input.baseModel.slice(prefix.length)
      : input.baseModel;
    const baseFile = host.baseModelFile(baseModel);
    const previous = await this.store.get(projectId, input.name);
    if (previous && previous.baseModel !== baseModel) {
      throw new KeelError(
        'conflict',
        `Adapter ${input.name} is for ${previous.baseModel}; a version for ${baseModel} needs another name.`,
        { issues: [{ code: 'base_model_changed', path: ['base_model'], message: previous.baseModel }] },
      );
    }
    if (input.useCaseId && !this.#deps.governance) {
      throw new KeelError('invalid_request', 'Governance is not available in this instance.', {
        issues: [{ code: 'no_governance', path: ['governance'], message: 'no governance module' }],
      });
    }
    const info = await stat(input.file.path).catch(() => {
      throw new KeelError('not_found', `There is no file ${input.file.source}.`, {
        issues: [{ code: 'file_not_found', path: ['path'], message: input.file.source }],
      });
    });
    const header = await readAdapterHeader(input.file.path);
    checkAdapterFits(header, await readBaseModelShape(baseFile), `${prefix}${baseModel}`);
    const [sha256, baseSha256] = await Promise.all([hashFile(input.file.path), this.#baseHash(baseFile)]);
    const lineage: AdapterLineage = { ...input.lineage, source: input.file.source };
    let version = await this.store.create(
      projectId,
      {
        name: input.name,
        baseModel,
        baseSha256,
        architecture: header.architecture,
        sha256,
        sizeBytes: info.size,
        scale: input.scale ?? 1,
        header: {
          alpha: header.alpha,
          rank: header.rank,
          targets: header.tensors.map((t) => t.target),
          name: header.name,
        },
        lineage,
        createdBy: actor,
      },
      { file: input.file.path, move: input.file.move },
    );
    if (input.useCaseId && this.#deps.governance) {
      try {
        const asset = await this.#deps.governance.track({
          projectId,
          actor: actor ?? 'system',
          useCaseId: input.useCaseId,
          ref: this.modelId(version),
          version: version.version,
          name: `${this.modelId(version)} v${version.version}`,
          metadata: adapterLineage(version),
        });
        await this.store.setGovernanceAsset(projectId, version.name, version.version, asset.id);
        version = { ...version, governanceAssetId: asset.id };
      } catch (error) {
        await this.store.remove(projectId, version.name, version.version);
        throw error;
      }
    }
    this.#deps.audit.record({
      action: 'adapter.version.create',
      projectId,
      target: { type: 'adapter', id: version.name },
      after: { ...version },
      detail: { version: version.version, baseModel, sha256, rank: header.rank },
    });
    return version;
  }

  list(projectId: string): Promise<AdapterVersion[]> {
    return this.store.list(projectId);
  }

  /** Every version of an adapter, oldest first; `not_found` when there is none. */
  async versions(projectId: string, name: string): Promise<AdapterVersion[]> {
    const versions = await this.store.versions(projectId, name);
    if (versions.length === 0) throw new KeelError('not_found', `No adapter ${name} in this project.`);
    return versions;
  }

  /** Removes one version or all of them (`not_found` when there is nothing to remove). */
  async remove(projectId: string, name: string, version?: number): Promise<AdapterVersion[]> {
    const removed = await this.store.remove(projectId, name, version);
    if (removed.length === 0) {
      throw new KeelError(
        'not_found',
        version === undefined
          ? `No adapter ${name} in this project.`
          : `Adapter ${name} has no version ${version}.`,
      );
    }
    this.#deps.audit.record({
      action: 'adapter.delete',
      projectId,
      target: { type: 'adapter', id: name },
      detail: { versions: removed.map((r) => r.version).join(',') },
    });
    return removed;
  }

  /** Where the provider finds `<base>+<adapter>` models: the call's project, behind the serving gate. */
  source(): AdapterSourceV1 {
    return {
      specificationVersion: 'v1',
      resolve: async ({ projectId, baseModelId, adapter }) => {
        const model = `${this.provider}:${baseModelId}+${adapter}`;
        const notFound = (why: string) =>
          new KeelError('model_not_found', `Model ${model}: ${why}.`, {
            data: { model, hint: 'List adapters with GET /api/v1/adapters or `keel tune adapter list`.' },
          });
        if (!projectId) throw notFound('adapters belong to a project, and the call names none');
        const at = adapter.lastIndexOf('@');
        const name = at > 0 ? adapter.slice(0, at) : adapter;
        const pinned = at > 0 ? Number(adapter.slice(at + 1)) : undefined;
        if (!ADAPTER_NAME.test(name) || (pinned !== undefined && !(Number.isInteger(pinned) && pinned > 0))) {
          throw notFound('not an adapter name (<base>+<name> or <base>+<name>@<version>)');
        }
        const found = await this.store.get(projectId, name, pinned);
        if (!found) throw notFound(`this project has no adapter ${adapter}`);
        if (found.baseModel !== baseModelId) throw notFound(`adapter ${name} is for ${found.baseModel}`);
        await checkServingGate(this.#deps.governance, {
          projectId,
          ref: this.modelId(found),
          version: found.version,
          deploymentId: servedCall()?.deploymentId ?? null,
          path: 'model',
          data: { adapter: found.name, version: found.version },
        });
        return {
          key: `${projectId}/${found.name}@${found.version}`,
          file: this.store.fileOf(projectId, found.name, found.version),
          sha256: found.sha256,
          scale: found.scale,
        };
      },
    };
  }
}

/** The governance inventory's lineage facts of an adapter version. */
export function adapterLineage(version: AdapterVersion): Record<string, string | number | boolean> {
  const facts: Record<string, string | number | boolean> = {
    method: 'lora',
    base_model: version.baseModel,
    base_sha256: version.baseSha256,
    adapter_sha256: version.sha256,
    architecture: version.architecture,
    rank: version.header.rank,
    scale: version.scale,
    targets: version.header.targets.length,
  };
  if (version.header.alpha !== null) facts.alpha = version.header.alpha;
  const { dataset, hyperParameters, source } = version.lineage;
  if (source) facts.source = source;
  if (dataset?.name) facts.dataset = dataset.name;
  if (dataset?.version) facts.dataset_version = dataset.version;
  if (dataset?.sha256) facts.dataset_sha256 = dataset.sha256;
  for (const [key, value] of Object.entries(hyperParameters ?? {})) facts[`hyper_parameters.${key}`] = value;
  return facts;
}
