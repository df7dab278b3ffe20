/**
 * @module cli/command
 * What a command handler receives and returns.
 */
import type { CliIO } from './output.js';

export interface CommandContext {
  io: CliIO;
  /** Global options: --config, --data-dir, --json, --url, --key, --project. */
  global: GlobalOptions;
}

export interface GlobalOptions {
  config?: string;
  dataDir?: string;
  json?: boolean;
  url?: string;
  key?: string;
  project?: string;
}

export type CommandHandler = (
  context: CommandContext,
  args: string[],
  options: Record<string, unknown>,
) => Promise<number | undefined>;

/** One row of the command table (`table/<area>.ts`). */
export interface CommandSpec {
  /** Words of the command, e.g. ['models', 'pull']. */
  path: string[];
  description: string;
  arguments?: string[];
  options?: { flags: string; description: string; defaultValue?: unknown; choices?: string[] }[];
  load: () => Promise<Record<string, unknown>>;
  /** Exported handler name in the loaded module. */
  handler: string;
}
