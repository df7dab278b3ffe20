/**
 * @module spec/adapter-source
 * Adapters (LoRA weights) served on a provider's base model, named `<base>+<adapter>` after the
 * provider prefix: `llamacpp:granite-3.3-2b-instruct+support-tone`. Adapters belong to projects and
 * are kept by the tuning module; a provider that can apply them (`AdapterHostV1`) asks an
 * `AdapterSourceV1` for the file of one adapter in the call's project, and checks its SHA-256
 * before it loads it.
 */
import type { ProviderV1 } from './provider.js';

export interface AdapterRequest {
  /** The call's project (adapters are looked up there); undefined when the call names none. */
  projectId: string | undefined;
  /** The base model id without the provider prefix. */
  baseModelId: string;
  /** What follows the `+`: `<name>` or `<name>@<version>`. */
  adapter: string;
}

export interface ResolvedAdapter {
  /** Names these weights at this scale (a cache key): the same key is the same adapted model. */
  key: string;
  file: string;
  /** SHA-256 of the file at registration; a different file is refused (`checksum_mismatch`). */
  sha256: string;
  /** The strength the adapter is applied with (1 = as trained). */
  scale: number;
}

export interface AdapterSourceV1 {
  readonly specificationVersion: 'v1';
  /**
   * The adapter's file, after whatever checks serving needs (approval in governance). Throws
   * `model_not_found` for an adapter the project does not have, or one made for another base.
   */
  resolve(request: AdapterRequest): Promise<ResolvedAdapter>;
}

/** What a provider that applies adapters offers besides `ProviderV1`. */
export interface AdapterHostV1 {
  /** Where `<base>+<adapter>` ids find their adapters (one source per provider; the last wins). */
  setAdapterSource(source: AdapterSourceV1): void;
  /** The file of a base model (throws `model_not_found`), for checking an adapter against it. */
  baseModelFile(modelId: string): string;
  /** The models directory (adapter files may be registered from under it). */
  readonly modelsDir: string;
}

export function servesAdapters(provider: ProviderV1): provider is ProviderV1 & AdapterHostV1 {
  const host = provider as Partial<AdapterHostV1>;
  return typeof host.setAdapterSource === 'function' && typeof host.baseModelFile === 'function';
}

/** Splits `<base>+<adapter>`; undefined for a plain model id. */
export function splitAdapterModelId(modelId: string): { baseModelId: string; adapter: string } | undefined {
  const plus = modelId.indexOf('+');
  if (plus <= 0 || plus === modelId.length - 1) return undefined;
  return { baseModelId: modelId.slice(0, plus), adapter: modelId.slice(plus + 1) };
}
