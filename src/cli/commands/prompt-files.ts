/**
 * @module cli/commands/prompt-files
 * Prompts as code: `keel prompt export [names…] --out prompts/` writes one YAML file per template
 * (every version and label), and `keel prompt import <files or folders…>` reads them back in one
 * transaction — a malformed file names itself, the field and the line, and nothing is imported.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PromptFile } from '../../api/prompts.js';
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { printJson, printTable, withSpinner } from '../output.js';
import { connected } from './prompt-options.js';

const SUFFIXES = ['.prompt.yaml', '.prompt.yml'];

/** `keel prompt export [names…] [--out <dir>]` */
export const exportCommand: CommandHandler = async (context, args, options) =>
  connected(context, async (client) => {
    const out = path.resolve(String(options.out ?? 'prompts'));
    const { files } = await withSpinner(context.io, 'Exporting templates', () =>
      client.prompts.files.export(args),
    );
    await mkdir(out, { recursive: true });
    const written: string[] = [];
    for (const file of files) {
      // File names come from template names (slugs), but never let one leave the folder.
      const target = path.join(out, path.basename(file.path));
      await writeFile(target, file.content, 'utf8');
      written.push(target);
    }
    if (context.global.json) printJson(context.io, { files: written });
    else for (const file of written) context.io.stdout.write(`${file}\n`);
    if (!files.length) context.io.stderr.write('No templates to export.\n');
    return 0;
  });

async function collect(paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const entry of paths) {
    const info = await stat(entry).catch(() => undefined);
    if (!info) {
      throw new KeelError('not_found', `${entry}: no such file or folder.`, {
        issues: [{ code: 'not_found', path: [entry], message: 'no such file or folder' }],
      });
    }
    if (info.isDirectory()) {
      const names = (await readdir(entry))
        .filter((name) => SUFFIXES.some((suffix) => name.endsWith(suffix)))
        .sort();
      found.push(...names.map((name) => path.join(entry, name)));
    } else {
      found.push(entry);
    }
  }
  return found;
}

/** `keel prompt import <files or folders…> [--dry-run]` */
export const importCommand: CommandHandler = async (context, args, options) => {
  const paths = await collect(args);
  if (!paths.length) {
    throw new KeelError('invalid_request', `No *.prompt.yaml files in ${args.join(', ')}.`);
  }
  const files: PromptFile[] = await Promise.all(
    paths.map(async (file) => ({ path: file, content: await readFile(file, 'utf8') })),
  );
  return connected(context, async (client) => {
    const dryRun = Boolean(options.dryRun);
    const response = await withSpinner(
      context.io,
      `Importing ${files.length} file${files.length > 1 ? 's' : ''}`,
      () => client.prompts.files.import({ files, dry_run: dryRun }),
    );
    if (context.global.json) printJson(context.io, response);
    else {
      printTable(
        context.io,
        response.results.map((result) => ({
          file: result.path,
          template: result.name,
          result: result.created ? 'created' : result.unchanged ? 'unchanged' : 'updated',
          versions_added: result.versions_added.join(' '),
          labels_moved: result.labels_moved.join(' '),
        })),
      );
      if (dryRun) context.io.stderr.write('Dry run: nothing was changed.\n');
    }
    return 0;
  });
};
