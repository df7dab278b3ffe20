/**
 * @module cli/commands/prompt-label
 * `keel prompt label <template> <label> <version>`: points a label at a version (creating or
 * moving it), or `--remove`s it. The server runs the governance gate: moving `production` on a
 * governed template to a version without a valid approval is refused (`gate_refused`, exit 5)
 * with one line per missing item, as the API answers.
 */
import { z } from 'zod';
import { labelNameSchema, setLabelRequestSchema } from '../../api/prompt-templates.js';
import { issuesFromZod, KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { printJson, withSpinner } from '../output.js';
import { connected } from './prompt-options.js';

const labelArgumentsSchema = z.object({
  label: labelNameSchema,
  request: setLabelRequestSchema,
});

/** The label and the request body from the command line, checked with the API's own schemas. */
export function labelRequest(label: string, version: string | undefined, expected: unknown) {
  const parsed = labelArgumentsSchema.safeParse({
    label,
    request: {
      version: version === undefined ? undefined : Number(version),
      ...(expected === undefined ? {} : { expected_version: expected === 'none' ? null : Number(expected) }),
    },
  });
  if (!parsed.success)
    throw new KeelError('invalid_request', 'keel prompt label <template> <label> <version>: bad arguments.', {
      issues: issuesFromZod(parsed.error.issues),
    });
  return parsed.data;
}

/** `keel prompt label <template> <label> [version] [--expected <version|none>] [--remove]` */
export const labelCommand: CommandHandler = async (context, args, options) =>
  connected(context, async (client) => {
    const [name, label, version] = args as [string, string, string | undefined];
    const io = context.io;
    if (options.remove) {
      const checked = labelNameSchema.safeParse(label);
      if (!checked.success)
        throw new KeelError('invalid_request', `"${label}" is not a label name.`, {
          issues: issuesFromZod(checked.error.issues).map((issue) => ({ ...issue, path: ['label'] })),
        });
      const removed = await withSpinner(io, `Removing ${name}@${label}`, () =>
        client.prompts.deleteLabel(name, label),
      );
      if (context.global.json) printJson(io, removed);
      else io.stdout.write(`${name}: removed ${label} (was version ${removed.version})\n`);
      return 0;
    }
    const parsed = labelRequest(label, version, options.expected);
    const moved = await withSpinner(
      io,
      `Pointing ${name}@${parsed.label} at version ${parsed.request.version}`,
      () => client.prompts.setLabel(name, parsed.label, parsed.request),
    );
    if (context.global.json) printJson(io, moved);
    else
      io.stdout.write(
        moved.previous_version === null
          ? `${name}: ${moved.label} → version ${moved.version} (new label)\n`
          : moved.previous_version === moved.version
            ? `${name}: ${moved.label} already at version ${moved.version}\n`
            : `${name}: ${moved.label} moved from version ${moved.previous_version} to ${moved.version}\n`,
      );
    return 0;
  });
