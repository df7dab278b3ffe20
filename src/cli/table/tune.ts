/**
 * @module cli/table/tune
 * The `keel tune` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const tune = () => import('../commands/tune.js');

export const tuneCommands: CommandSpec[] = [
  {
    path: ['tune', 'head'],
    description: 'Train a task head (logistic regression on character n-grams) on a labelled JSONL file.',
    options: [
      { flags: '--dataset <file>', description: 'JSONL file, one labelled text a line' },
      { flags: '--text-field <name>', description: 'field holding the text', defaultValue: 'text' },
      { flags: '--label-field <name>', description: 'field holding the label', defaultValue: 'label' },
      { flags: '--name <head>', description: 'head name (default: the file name)' },
      { flags: '--seed <n>', description: 'random seed' },
      { flags: '--positive-label <label>', description: 'label a detector flags (sets an operating point)' },
      { flags: '--max-fpr <rate>', description: 'highest validation false-positive rate for that label' },
    ],
    load: tune,
    handler: 'headCommand',
  },
];
