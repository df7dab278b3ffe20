/**
 * @module cli/table/tune
 * The `keel tune` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const tune = () => import('../commands/tune.js');

export const tuneCommands: CommandSpec[] = [
  {
    path: ['tune', 'head'],
    description:
      'Train a task head (logistic regression, a small MLP, or a token tagger) on a labelled JSONL file, showing progress by epoch.',
    options: [
      { flags: '--dataset <file>', description: 'JSONL file, one labelled text (or tagged sentence) a line' },
      { flags: '--method <method>', description: 'logistic (default), mlp or tagger' },
      {
        flags: '--features <encoder>',
        description:
          'frozen encoder: hashing (default; character n-grams) or an embedding model provider:model',
      },
      {
        flags: '--text-field <name>',
        description: 'field holding the text (tagger: the tokens array); default text (tokens)',
      },
      {
        flags: '--label-field <name>',
        description: 'field holding the label (tagger: the tags array); default label (tags)',
      },
      { flags: '--name <head>', description: 'head name (default: the file name)' },
      { flags: '--seed <n>', description: 'random seed' },
      { flags: '--max-epochs <n>', description: 'most epochs (early stopping may end sooner)' },
      { flags: '--dimensions <n>', description: 'hashing: feature space size, a power of two' },
      { flags: '--hidden-units <n>', description: 'mlp: hidden units' },
      { flags: '--window <n>', description: 'tagger: neighbours on each side used as features' },
      {
        flags: '--tokenization <mode>',
        description: 'tagger: word (default) or char, how served texts are split',
      },
      { flags: '--positive-label <label>', description: 'label a detector flags (sets an operating point)' },
      { flags: '--max-fpr <rate>', description: 'highest validation false-positive rate for that label' },
    ],
    load: tune,
    handler: 'headCommand',
  },
];
