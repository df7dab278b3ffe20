/**
 * @module cli/list-option
 * A comma-separated command-line option (`--tags a,b`): its trimmed, non-empty items, or undefined
 * when absent.
 */
export function listOption(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return String(value)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
