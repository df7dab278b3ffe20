/**
 * The models this Keel serves, for pickers and prices: `GET /api/v1/models` (catalog, provider
 * models, provider status) when the server has it, otherwise the OpenAI listing `GET /v1/models`
 * (ids only — the Models page then says what is missing).
 */
import type { ModelsOverview } from '@keel/api/models';
import { useSession } from '../session/session-context';
import { isNotFound } from './errors';
import { useLoad } from './use-load';

export interface ModelChoice {
  id: string;
  provider: string;
  /** Unknown on servers without the models API. */
  kinds: string[] | undefined;
  contextLength: number | undefined;
  /** USD per million tokens; 0 for local inference; undefined when nobody says. */
  pricePerMillion: { input: number; output: number } | undefined;
  label: string;
}

export type ModelDirectory =
  | { source: 'models-api'; overview: ModelsOverview; choices: ModelChoice[] }
  | { source: 'openai'; choices: ModelChoice[] };

/** Providers whose models run inside Keel itself (no per-token price). */
const localProviderTypes = new Set(['llamacpp', 'hashing']);

export function choicesFromOverview(overview: ModelsOverview): ModelChoice[] {
  const providerType = new Map(overview.providers.map((provider) => [provider.name, provider.type]));
  const catalog = new Map(overview.catalog.map((entry) => [entry.model_id, entry]));
  return overview.models.map((model) => {
    const entry = catalog.get(model.id);
    const local = localProviderTypes.has(providerType.get(model.provider) ?? model.provider);
    return {
      id: model.id,
      provider: model.provider,
      kinds: model.kinds,
      contextLength: model.context_length ?? entry?.context_length,
      pricePerMillion: entry?.price_per_million ?? (local ? { input: 0, output: 0 } : undefined),
      label: entry ? `${entry.display_name} (${model.id})` : model.id,
    };
  });
}

export async function loadModelDirectory(
  client: ReturnType<typeof useSession>['client'],
): Promise<ModelDirectory> {
  try {
    const overview = await client.models.overview();
    return { source: 'models-api', overview, choices: choicesFromOverview(overview) };
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const listing = await client.listModels();
  return {
    source: 'openai',
    choices: listing.data.map((model) => ({
      id: model.id,
      provider: model.owned_by,
      kinds: undefined,
      contextLength: undefined,
      pricePerMillion: undefined,
      label: model.id,
    })),
  };
}

export function useModelDirectory() {
  const { client, projectId } = useSession();
  return useLoad(() => loadModelDirectory(client), [client, projectId]);
}

/** Models that generate text (all of them when the server does not say). */
export function languageModels(choices: readonly ModelChoice[]): ModelChoice[] {
  return choices.filter((choice) => !choice.kinds || choice.kinds.includes('language'));
}

export function costOf(
  choice: ModelChoice | undefined,
  inputTokens: number | undefined,
  outputTokens: number | undefined,
): number | undefined {
  if (!choice?.pricePerMillion || inputTokens === undefined || outputTokens === undefined) return undefined;
  return (
    (inputTokens * choice.pricePerMillion.input + outputTokens * choice.pricePerMillion.output) / 1_000_000
  );
}
