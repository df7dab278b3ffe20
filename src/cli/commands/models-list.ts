/**
 * @module cli/commands/models-list
 * `keel models list` and `keel models show <id>`: models Keel can call now, provider status, and
 * the catalog of models it can download.
 */
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { formatBytes, printJson, printTable, withSpinner } from '../output.js';

function compactCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(1)}B`;
  if (value >= 1e6) return `${Math.round(value / 1e6)}M`;
  return String(value);
}

export const listCommand: CommandHandler = async (context) => {
  const overview = await withConnection(context, ({ client }) =>
    withSpinner(context.io, 'Asking the providers', () => client.models.overview()),
  );
  if (context.global.json) {
    printJson(context.io, overview);
    return 0;
  }
  const out = context.io.stdout;
  out.write('Models you can call:\n');
  printTable(
    context.io,
    overview.models.map((model) => ({
      id: model.id,
      kind: model.kinds.join(','),
      context: model.context_length ?? '',
      tasks: model.tasks?.join(',') ?? '',
    })),
  );
  out.write('\nProviders:\n');
  printTable(
    context.io,
    overview.providers.map((provider) => ({
      name: provider.name,
      type: provider.type,
      status: provider.reachable ? 'reachable' : 'unreachable',
      detail: provider.message ?? (provider.latency_ms !== undefined ? `${provider.latency_ms} ms` : ''),
    })),
  );
  out.write('\nCatalog (keel models pull <id>):\n');
  printTable(
    context.io,
    overview.catalog.map((entry) => ({
      id: entry.id,
      tasks: entry.tasks.join(','),
      params: compactCount(entry.parameters),
      context: entry.context_length,
      licence: entry.licence,
      size: entry.size_bytes ? formatBytes(entry.size_bytes) : '',
      local: entry.present ? 'yes' : '',
    })),
  );
  return 0;
};

export const showCommand: CommandHandler = async (context, args) => {
  const id = args[0]!;
  const overview = await withConnection(context, ({ client }) => client.models.overview());
  const catalogEntry = overview.catalog.find((entry) => entry.id === id || entry.model_id === id);
  const model = overview.models.find(
    (entry) => entry.id === id || (catalogEntry && entry.id === catalogEntry.model_id),
  );
  if (!catalogEntry && !model) {
    throw new KeelError('model_not_found', `No model or catalog entry "${id}".`, {
      data: { hint: 'See `keel models list`.' },
    });
  }
  const shown = { ...(model ? { model } : {}), ...(catalogEntry ? { catalog: catalogEntry } : {}) };
  if (context.global.json) printJson(context.io, shown);
  else {
    const out = context.io.stdout;
    if (catalogEntry) {
      out.write(`${catalogEntry.display_name} (${catalogEntry.id})\n`);
      out.write(
        `  publisher: ${catalogEntry.publisher}; licence: ${catalogEntry.licence}${catalogEntry.commercial_use ? '' : ' (non-commercial)'}\n`,
      );
      out.write(
        `  tasks: ${catalogEntry.tasks.join(', ')}\n  context: ${catalogEntry.context_length} tokens; parameters: ${compactCount(catalogEntry.parameters)}\n`,
      );
      out.write(
        `  languages: ${catalogEntry.languages.join(', ')}\n  download: ${catalogEntry.source} (${catalogEntry.quantisation}${catalogEntry.size_bytes ? `, ${formatBytes(catalogEntry.size_bytes)}` : ''})\n`,
      );
      out.write(
        `  present locally: ${catalogEntry.present ? `yes, call it as ${catalogEntry.model_id}` : `no — keel models pull ${catalogEntry.id}`}\n`,
      );
      if (catalogEntry.notes) out.write(`  notes: ${catalogEntry.notes}\n`);
    }
    if (model) {
      out.write(
        `${model.id}\n  provider: ${model.provider}; kinds: ${model.kinds.join(', ')}${model.context_length ? `; context: ${model.context_length} tokens` : ''}\n`,
      );
      for (const [key, value] of Object.entries(model.details ?? {}))
        out.write(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}\n`);
    }
  }
  return 0;
};
