/**
 * @module cli/table/audit
 * The `keel audit` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const audit = () => import('../commands/audit.js');

export const auditCommands: CommandSpec[] = [
  {
    path: ['audit', 'verify'],
    description:
      'Check the whole audit chain; names the first record that was altered, removed or reordered (exit 65).',
    load: audit,
    handler: 'verifyCommand',
  },
  {
    path: ['audit', 'export'],
    description:
      'Write audit records as JSON Lines to stdout, oldest first (--project: only that project): keel audit export > audit.jsonl',
    options: [
      { flags: '--since <time>', description: 'records at or after this ISO 8601 time' },
      { flags: '--until <time>', description: 'records before this ISO 8601 time' },
      { flags: '--action <action>', description: 'an action, or a prefix ending in * (template.*)' },
    ],
    load: audit,
    handler: 'exportCommand',
  },
];
