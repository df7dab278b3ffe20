/**
 * @module cli/commands/tune-adapter
 * `keel tune adapter add <file.gguf> --base <model> [--name …]` registers a LoRA adapter (the upload
 * shows a spinner while it travels), `list` shows the project's adapters, `show <name>` every
 * version with its lineage, `remove <name> [--only-version N]` removes them. An adapter answers as the
 * model `llamacpp:<base>+<name>`.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AdapterVersionJson } from '../../api/adapters.js';
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { formatBytes, printJson, printRows, withSpinner } from '../output.js';

const listOption = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

/** `--hyper-parameter lr=0.0002 --hyper-parameter epochs=3` → `{ lr: 0.0002, epochs: 3 }`. */
function hyperParameters(values: string[]): Record<string, string | number | boolean> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) {
      throw new KeelError('invalid_request', `--hyper-parameter takes key=value, not "${value}".`, {
        issues: [{ code: 'invalid_option', path: ['hyper-parameter'], message: 'key=value' }],
      });
    }
    const raw = value.slice(eq + 1);
    const number = Number(raw);
    out[value.slice(0, eq)] =
      raw === 'true' || raw === 'false'
        ? raw === 'true'
        : raw !== '' && Number.isFinite(number)
          ? number
          : raw;
  }
  return out;
}

function describe(v: AdapterVersionJson): string {
  return `${v.model} v${v.version}: rank ${v.rank}, alpha ${v.alpha ?? '-'}, scale ${v.scale}, ${v.targets.length} weights, ${formatBytes(v.size_bytes)}, sha256 ${v.sha256.slice(0, 12)}…`;
}

export const addCommand: CommandHandler = async (context, args, options) => {
  const file = args[0]!;
  if (!options.base) {
    throw new KeelError('invalid_request', 'Name the base model with --base <llamacpp:model>.', {
      issues: [{ code: 'missing_option', path: ['base'], message: '--base is required' }],
    });
  }
  const name = String(
    options.name ??
      path
        .basename(file)
        .replace(/\.[^.]*$/, '')
        .toLowerCase(),
  );
  const scale = numberOption(options.scale, 'scale');
  const hyper = hyperParameters(listOption(options.hyperParameter));
  const dataset =
    options.datasetName || options.datasetVersion
      ? {
          ...(options.datasetName ? { name: String(options.datasetName) } : {}),
          ...(options.datasetVersion ? { version: String(options.datasetVersion) } : {}),
        }
      : undefined;
  const metadata = {
    ...(hyper ? { hyper_parameters: hyper } : {}),
    ...(dataset ? { dataset } : {}),
    ...(options.useCase ? { governance: { use_case_id: String(options.useCase) } } : {}),
  };
  return withConnection(context, async ({ client }) => {
    let created: AdapterVersionJson;
    if (options.inModelsDir) {
      // The file is already on the server, under its models directory: nothing to upload.
      created = await client.adapters.register({
        name,
        base_model: String(options.base),
        path: file,
        ...(scale !== undefined ? { scale } : {}),
        ...metadata,
      });
    } else {
      const size = (await stat(file)).size;
      const data = new Uint8Array(await readFile(file));
      created = await withSpinner(
        context.io,
        `Uploading ${path.basename(file)} (${formatBytes(size)}) and checking it against ${String(options.base)}`,
        () =>
          client.adapters.upload(
            { name: path.basename(file), data },
            {
              name,
              base_model: String(options.base),
              ...(scale !== undefined ? { scale } : {}),
              ...metadata,
            },
          ),
      );
    }
    if (context.global.json) printJson(context.io, created);
    else {
      context.io.stdout.write(
        `Registered ${describe(created)}${created.governance_asset_id ? `; governance asset ${created.governance_asset_id}` : ''}.\n`,
      );
    }
    return 0;
  });
};

export const listCommand: CommandHandler = async (context) =>
  withConnection(context, async ({ client }) => {
    const adapters = await client.adapters.list();
    printRows(context.io, context.global.json, adapters, (v) => ({
      model: v.model,
      version: v.version,
      rank: v.rank,
      alpha: v.alpha,
      scale: v.scale,
      size: formatBytes(v.size_bytes),
      governed: v.governance_asset_id ? 'yes' : 'no',
    }));
    return 0;
  });

export const showCommand: CommandHandler = async (context, args) =>
  withConnection(context, async ({ client }) => {
    const versions = await client.adapters.versions(args[0]!);
    if (context.global.json) printJson(context.io, versions);
    else {
      for (const v of versions) {
        const hyper = Object.entries(v.hyper_parameters).map(([k, value]) => `${k}=${value}`);
        context.io.stdout.write(
          `${describe(v)}\n  base ${v.base_model} sha256 ${v.base_sha256.slice(0, 12)}…, from ${v.source ?? '-'}, ${v.created_at}${hyper.length ? `\n  hyper-parameters: ${hyper.join(', ')}` : ''}${v.dataset?.name ? `\n  dataset: ${v.dataset.name}${v.dataset.version ? ` v${v.dataset.version}` : ''}` : ''}\n`,
        );
      }
    }
    return 0;
  });

export const removeCommand: CommandHandler = async (context, args, options) => {
  const version = numberOption(options.onlyVersion, 'only-version');
  return withConnection(context, async ({ client }) => {
    const removed = await client.adapters.remove(args[0]!, version);
    if (context.global.json) printJson(context.io, removed);
    else
      context.io.stdout.write(`Removed ${args[0]} version(s) ${removed.map((v) => v.version).join(', ')}.\n`);
    return 0;
  });
};
