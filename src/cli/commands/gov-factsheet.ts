/**
 * @module cli/commands/gov-factsheet
 * `keel gov factsheet <use-case> --format md|json|pdf -o file`: a use case's factsheet exported
 * (Markdown or JSON to stdout when no file is given; a PDF needs `-o` unless stdout is a pipe).
 * `keel gov factsheet-diff <use-case> <from> <to>`: what changed between two approach versions.
 */
import { writeFile } from 'node:fs/promises';
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { printJson, printTable } from '../output.js';

export const factsheetCommand: CommandHandler = (context, args, options) =>
  withConnection(context, async ({ client }) => {
    const format = (options.format as 'md' | 'json' | 'pdf' | undefined) ?? 'md';
    const output = options.output === undefined ? undefined : String(options.output);
    if (format === 'pdf' && !output && context.io.stdout.isTTY)
      throw new KeelError('invalid_request', 'A PDF is not written to a terminal: give -o factsheet.pdf.', {
        issues: [{ code: 'output_required', path: ['output'], message: 'give -o <file>' }],
      });
    const result = await client.factsheets.export(args[0]!, format, {
      ...(options.approach ? { approach: String(options.approach) } : {}),
      ...(options.lang ? { lang: options.lang === 'ko' ? 'ko' : 'en' } : {}),
    });
    if (!output) {
      context.io.stdout.write(result.bytes);
      return 0;
    }
    await writeFile(output, result.bytes);
    const note =
      result.hangul === false
        ? ' (in Helvetica: the server found no Hangul font, so a factsheet with Korean text is refused with font_unavailable; set factsheets.font in keel.yaml, or KEEL_FACTSHEET_FONT)'
        : '';
    if (context.global.json)
      printJson(context.io, { file: output, bytes: result.bytes.byteLength, format, hangul: result.hangul });
    else context.io.stdout.write(`Wrote ${output} (${result.bytes.byteLength} bytes)${note}\n`);
    return 0;
  });

export const factsheetDiffCommand: CommandHandler = (context, args) =>
  withConnection(context, async ({ client }) => {
    const diff = await client.factsheets.diff(args[0]!, args[1]!, args[2]!);
    if (context.global.json) printJson(context.io, diff);
    else if (!diff.changes.length)
      context.io.stdout.write(`No differences between v${diff.from.version} and v${diff.to.version}.\n`);
    else
      printTable(
        context.io,
        diff.changes.map((change) => ({
          change: change.kind,
          path: change.path,
          from: change.from === undefined ? '' : String(change.from),
          to: change.to === undefined ? '' : String(change.to),
        })),
      );
    return 0;
  });
