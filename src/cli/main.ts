/**
 * @module cli/main
 * The `keel` entry: parses the arguments, prints help and dispatches. The command table is
 * assembled from `table/<area>.ts`; each entry names its arguments and options and lazily loads its
 * handler from `commands/<name>.ts`, so `keel --help` starts fast and heavy modules (llama.cpp,
 * PGlite) load only for the commands that need them.
 */
import { Command, CommanderError, Option } from 'commander';
import type { CommandHandler, CommandSpec, GlobalOptions } from './command.js';
import { type CliIO, processIO, reportError } from './output.js';
import { auditCommands } from './table/audit.js';
import { doctorCommands, generateCommands, keysCommands, serveCommands } from './table/core.js';
import { dataCommands } from './table/data.js';
import { deployCommands } from './table/deploy.js';
import { evalCommands } from './table/evals.js';
import { govCommands } from './table/gov.js';
import { guardCommands } from './table/guard.js';
import { modelsCommands } from './table/models.js';
import { monitorCommands } from './table/monitor.js';
import { promptCommands } from './table/prompts.js';
import { ragCommands } from './table/rag.js';
import { tuneCommands } from './table/tune.js';

export type { CommandContext, CommandHandler, CommandSpec, GlobalOptions } from './command.js';

/**
 * Every command, grouped by area in `table/`. The order is the order of `keel --help`: a group
 * appears where its first command does.
 */
export const commandTable: CommandSpec[] = [
  ...serveCommands,
  ...modelsCommands,
  ...keysCommands,
  ...auditCommands,
  ...dataCommands,
  ...tuneCommands,
  ...generateCommands,
  ...ragCommands,
  ...evalCommands,
  ...guardCommands,
  ...promptCommands,
  ...doctorCommands,
  ...govCommands,
  ...deployCommands,
  ...monitorCommands,
];

export function buildProgram(io: CliIO, onExit: (code: number) => void): Command {
  const program = new Command('keel')
    .description('Keel: open enterprise generative-AI platform.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('-c, --config <file>', 'config file (default ./keel.yaml or KEEL_CONFIG)')
    .option('-d, --data-dir <dir>', 'data directory (default .keel or KEEL_DATA_DIR)')
    .option('--json', 'print JSON for scripts')
    .option('--url <url>', 'talk to a running Keel server (default KEEL_URL)')
    .option('--key <key>', 'API key for --url (default KEEL_API_KEY)')
    .option('-p, --project <id>', 'project id (default: the key’s project)')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .showHelpAfterError();

  const groups = new Map<string, Command>();
  for (const spec of commandTable) {
    let parent = program;
    for (const word of spec.path.slice(0, -1)) {
      let group = groups.get(word);
      if (!group) {
        group = parent.command(word).description(`${word} commands`);
        groups.set(word, group);
      }
      parent = group;
    }
    const command = parent.command(spec.path.at(-1)!).description(spec.description);
    for (const argument of spec.arguments ?? []) command.argument(argument);
    for (const option of spec.options ?? []) {
      const opt = new Option(option.flags, option.description);
      if (option.defaultValue !== undefined) opt.default(option.defaultValue);
      if (option.choices) opt.choices(option.choices);
      command.addOption(opt);
    }
    command.action(async (...actionArgs: unknown[]) => {
      const commandObject = actionArgs.at(-1) as Command;
      const options = actionArgs.at(-2) as Record<string, unknown>;
      const args = actionArgs
        .slice(0, -2)
        .flatMap((value) => (Array.isArray(value) ? value : [value])) as string[];
      const global = program.opts() as GlobalOptions;
      try {
        const module = await spec.load();
        const handler = module[spec.handler] as CommandHandler;
        const code = await handler({ io, global }, args, { ...commandObject.opts(), ...options });
        onExit(code ?? 0);
      } catch (error) {
        onExit(reportError(io, error, Boolean(global.json)));
      }
    });
  }
  return program;
}

/** Runs the CLI; resolves with the exit code. Tests call this with their own IO. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  let exitCode: number | undefined;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportError(io, error, false);
  }
  return exitCode ?? 0;
}
