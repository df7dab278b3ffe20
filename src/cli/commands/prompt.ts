/**
 * @module cli/commands/prompt
 * `keel prompt list|show|diff|samples`: reading Prompt Lab templates from the terminal (tables
 * for people, `--json` for scripts).
 */
import { stringify } from 'yaml';
import type { PromptTask } from '../../api/prompts.js';
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
    io.stdout.write(stringify(template.template, { lineWidth: 0 }));
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

/** `keel prompt samples [--task <task>] [--language ko|en] [--load] [--model <id>] [--prefix <p>]` */
export const samplesCommand: CommandHandler = async (context, _args, options) =>
  connected(context, async (client) => {
    const filter = {
      ...(options.task ? { task: options.task as PromptTask } : {}),
      ...(options.language ? { language: options.language as 'ko' | 'en' } : {}),
    };
    if (options.load) {
      const loaded = await withSpinner(context.io, 'Loading samples', () =>
        client.prompts.samples.load({
          ...filter,
          ...(options.model ? { model: String(options.model) } : {}),
          ...(options.prefix ? { prefix: String(options.prefix) } : {}),
        }),
      );
      if (context.global.json) printJson(context.io, loaded);
      else {
        for (const created of loaded.created) context.io.stdout.write(`created ${created.name}\n`);
        for (const skipped of loaded.skipped)
          context.io.stderr.write(`skipped ${skipped.name}: ${skipped.reason}\n`);
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
