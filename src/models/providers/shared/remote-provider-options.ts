/**
 * @module models/providers/shared/remote-provider-options
 * What every remote provider factory takes besides its keel.yaml entry, and the parsing of that
 * entry: factories accept the entry as written (defaults are filled in by the same zod schema
 * that validates keel.yaml), so tests and library users need not spell out every field.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { type ProviderConfig, providerConfigSchema } from '../../../core/config.js';
import { issuesFromZod, KeelError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';

export interface RemoteProviderOptions {
  /**
   * The undici dispatcher calls go through: a shared keep-alive Agent, a ProxyAgent for an
   * outbound proxy, a MockAgent in tests. By default each provider has its own keep-alive Agent,
   * closed by `close()`.
   */
  dispatcher?: Dispatcher;
  logger?: Logger;
  /** Where `apiKeyEnv` is looked up; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

type ConfigInput = z.input<typeof providerConfigSchema>;

/** A provider entry as written in keel.yaml; `type` may be left out when the factory implies it. */
export type ProviderSettings<Type extends ProviderConfig['type']> = Omit<
  Extract<ConfigInput, { type: Type }>,
  'type'
> & { type?: Type };

export function parseProviderConfig<Type extends ProviderConfig['type']>(
  type: Type,
  input: ProviderSettings<Type>,
): Extract<ProviderConfig, { type: Type }> {
  const parsed = providerConfigSchema.safeParse({ ...input, type });
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues);
    throw new KeelError(
      'invalid_config',
      `Invalid ${type} provider configuration: ${issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
      { issues },
    );
  }
  return parsed.data as Extract<ProviderConfig, { type: Type }>;
}

/**
 * Refuses a model outside the provider's `models:` list in keel.yaml (no list: every model the
 * server has). `server` names what Keel would otherwise ask, for the hint.
 */
export function offeredModels(
  name: string,
  models: readonly string[] | undefined,
  server: string,
): (modelId: string) => void {
  return (modelId) => {
    if (!models || models.includes(modelId)) return;
    throw new KeelError(
      'model_not_found',
      `Provider "${name}" offers only ${models.join(', ')}; "${modelId}" is not among them.`,
      {
        data: {
          model: `${name}:${modelId}`,
          hint: `Add it to models: of provider "${name}" in keel.yaml, or remove that list to let Keel ask ${server}.`,
        },
      },
    );
  };
}

/** One model object per id, made on first use and reused by every later call. */
export function oncePerModel<Model>(make: (modelId: string) => Model): (modelId: string) => Model {
  const made = new Map<string, Model>();
  return (modelId) => {
    let model = made.get(modelId);
    if (!model) {
      model = make(modelId);
      made.set(modelId, model);
    }
    return model;
  };
}
