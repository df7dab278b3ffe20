/**
 * @module cli/commands/prompt
 * `keel prompt list|show|diff|samples`: reading Prompt Lab templates from the terminal (tables
 * for people, `--json` for scripts).
 */
import { stringify } from 'yaml';
import type { PromptTask } from '../../api/prompts.js';
import { KeelError } from '../../core/errors.js';
import { fewShotSummary } from '../../sdk/index.js';
import type { CommandHandler } from '../command.js';
import { printJson, printRows, printTable, withSpinner } from '../output.js';
import { connected } from './prompt-options.js';

/** `keel prompt list [--task <task>] [--search <text>]` */
export const listCommand: CommandHandler = async (context, _args, options) =>
  connected(context, async (client) => {
    const { prompts } = await client.prompts.list({
      ...(options.task ? { task: options.task as PromptTask } : {}),
      ...(options.search ? { q: String(options.search) } : {}),
    });
    printRows(context.io, context.global.json, prompts, (prompt) => ({
      name: prompt.name,
      title: prompt.title,
      mode: prompt.mode,
      model: prompt.model_id ?? '',
      version: prompt.latest_version,
      labels: Object.entries(prompt.labels)
        .map(([label, version]) => `${label}@${version}`)
        .join(' '),
      updated: prompt.updated_at.slice(0, 16).replace('T', ' '),
    }));
    return 0;
  });

/** `keel prompt show <name[@version|@label]> [--versions]` */
export const showCommand: CommandHandler = async (context, args, options) =>
  connected(context, async (client) => {
    const ref = args[0]!;
    const template = await client.prompts.get(ref);
    const versions = options.versions ? (await client.prompts.versions(template.name)).versions : undefined;
    if (context.global.json) {
      printJson(context.io, versions ? { ...template, versions } : template);
      return 0;
    }
    const io = context.io;
    const labels = Object.entries(template.labels).map(([label, version]) => `${label}@${version}`);
    io.stdout.write(
      `${template.name}${template.title ? ` — ${template.title}` : ''}\n` +
        `version ${template.version.version} of ${template.latest_version}${template.resolved.label ? ` (label ${template.resolved.label})` : ''}` +
        `${labels.length ? `; labels: ${labels.join(', ')}` : ''}\n` +
        `${template.description ? `${template.description}\n` : ''}` +
        `saved ${template.version.created_at.slice(0, 16).replace('T', ' ')}${template.version.created_by ? ` by ${template.version.created_by}` : ''}${template.version.message ? `: ${template.version.message}` : ''}\n\n`,
    );
    // A few-shot pool can hold thousands of examples: shown as its settings and size (--json has it all).
    const pool = fewShotSummary(template.template);
    const { few_shot: _pool, ...shown } = template.template;
    io.stdout.write(stringify(shown, { lineWidth: 0 }));
    if (pool) {
      io.stdout.write(
        `few-shot pool: ${pool.k} of ${pool.size} example${pool.size === 1 ? '' : 's'} picked per input` +
          `${pool.source ? ` (from ${pool.source})` : ''}; label balance ${pool.balanceLabels ? 'on' : 'off'}, diversity ${pool.diversity}\n`,
      );
    }
    if (template.variables.length) {
      io.stdout.write('\n');
      printTable(
        io,
        template.variables.map((variable) => ({
          variable: variable.name,
          type: variable.type,
          required: variable.required ? 'yes' : 'no',
          default: variable.default === undefined ? '' : JSON.stringify(variable.default),
          description: variable.description ?? '',
        })),
      );
    }
    for (const warning of template.warnings) io.stderr.write(`warning: ${warning.message}\n`);
    if (versions) {
      io.stdout.write('\n');
      printTable(
        io,
        versions.map((version) => ({
          version: version.version,
          saved: version.created_at.slice(0, 16).replace('T', ' '),
          by: version.created_by ?? '',
          labels: version.labels.join(' '),
          message: version.message,
        })),
      );
    }
    return 0;
  });

/** `keel prompt diff <name> <from> <to>` (versions or labels) */
export const diffCommand: CommandHandler = async (context, args) =>
  connected(context, async (client) => {
    const diff = await client.prompts.diff(args[0]!, args[1]!, args[2]!);
    if (context.global.json) {
      printJson(context.io, diff);
      return 0;
    }
    const out = context.io.stdout;
    out.write(
      `${diff.name}: version ${diff.from} → ${diff.to}, ${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}\n`,
    );
    for (const change of diff.changes) {
      out.write(`\n${change.kind} ${change.path.join('.') || '(template)'}\n`);
      if (change.lines) {
        for (const line of change.lines)
          out.write(`${line.op === 'add' ? '+' : line.op === 'remove' ? '-' : ' '} ${line.text}\n`);
      } else {
        if (change.from !== undefined) out.write(`- ${JSON.stringify(change.from)}\n`);
        if (change.to !== undefined) out.write(`+ ${JSON.stringify(change.to)}\n`);
      }
    }
    return 0;
  });

/**
 * `keel prompt samples [--task <task>] [--language ko|en] [--load [--model <id>] [--rebind] [--prefix <p>]]`
 * Loading never overwrites a template; `--rebind` points the sample templates that already exist
 * at `--model` by saving a new version of each (their history stays).
 */
export const samplesCommand: CommandHandler = async (context, _args, options) =>
  connected(context, async (client) => {
    const io = context.io;
    const filter = {
      ...(options.task ? { task: options.task as PromptTask } : {}),
      ...(options.language ? { language: options.language as 'ko' | 'en' } : {}),
    };
    if (options.rebind && !(options.load && options.model))
      throw new KeelError('invalid_request', '--rebind needs --load and --model <id>: the model to bind.');
    if (options.load) {
      const model = options.model ? String(options.model) : undefined;
      if (model) {
        const known = await client.listModels().then(
          ({ data }) => data.some((entry) => entry.id === model),
          () => true,
        );
        if (!known)
          io.stderr.write(
            `warning: no provider knows the model ${model} (see \`keel models list\`); the templates will name it anyway, and running them fails until it exists.\n`,
          );
      }
      const loaded = await withSpinner(io, 'Loading samples', () =>
        client.prompts.samples.load({
          ...filter,
          ...(model ? { model } : {}),
          ...(options.prefix ? { prefix: String(options.prefix) } : {}),
        }),
      );
      const rebound: { name: string; from: string | null; version: number }[] = [];
      const skipped: { name: string; reason: string }[] = [];
      for (const entry of loaded.skipped) {
        if (!options.rebind || !model) {
          skipped.push(entry);
          continue;
        }
        const current = await client.prompts.get(entry.name);
        const from = current.template.model_id ?? null;
        if (from === model) {
          skipped.push({ name: entry.name, reason: `already bound to ${model}` });
          continue;
        }
        const saved = await client.prompts.saveVersion(entry.name, {
          template: { ...current.template, model_id: model },
          base_version: current.latest_version,
          message: `Rebound to ${model}${from ? ` (was ${from})` : ''}`,
        });
        rebound.push({ name: entry.name, from, version: saved.version.version });
      }
      if (context.global.json) printJson(io, { created: loaded.created, rebound, skipped });
      else {
        for (const created of loaded.created) io.stdout.write(`created ${created.name}\n`);
        for (const entry of rebound)
          io.stdout.write(
            `rebound ${entry.name} to ${model}${entry.from ? ` (was ${entry.from})` : ''}: version ${entry.version}\n`,
          );
        for (const entry of skipped) io.stderr.write(`skipped ${entry.name}: ${entry.reason}\n`);
        if (!options.rebind && model && loaded.skipped.length)
          io.stderr.write(
            `${loaded.skipped.length} existing template${loaded.skipped.length === 1 ? '' : 's'} kept ${loaded.skipped.length === 1 ? 'its' : 'their'} model: add --rebind to point ${loaded.skipped.length === 1 ? 'it' : 'them'} at ${model} (a new version each).\n`,
          );
      }
      return 0;
    }
    const { samples } = await client.prompts.samples.list(filter);
    printRows(context.io, context.global.json, samples, (sample) => ({
      id: sample.id,
      task: sample.task,
      language: sample.language,
      mode: sample.template.mode,
      title: sample.title,
      use_case: sample.use_case,
    }));
    return 0;
  });
