/**
 * @module cli/table/options
 * A command's options written as a table: each flag with its help line, in the order shown.
 */
import type { CommandSpec } from '../command.js';

/** The options of a command table row, from flags → description. */
export function optionTable(described: Record<string, string>): NonNullable<CommandSpec['options']> {
  return Object.entries(described).map(([flags, description]) => ({ flags, description }));
}
