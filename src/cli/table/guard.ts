/**
 * @module cli/table/guard
 * The `keel guard` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const guard = () => import('../commands/guard.js');

export const guardCommands: CommandSpec[] = [
  {
    path: ['guard', 'check'],
    description:
      'Check text from stdin for PII, hate/abuse/profanity and prompt injection; prints the spans found.',
    options: [
      { flags: '--text <text>', description: 'check this text instead of stdin' },
      {
        flags: '--policy <name>',
        description: "a stored guardrail policy of the project (default: the project's)",
      },
      {
        flags: '--detector <name...>',
        description: 'run only these detectors',
        choices: ['pii', 'hap', 'injection'],
      },
      { flags: '--threshold <score>', description: 'report spans scoring at least this (0–1)' },
      { flags: '--mode <mode>', description: 'what the text is', choices: ['prompt', 'output', 'document'] },
      { flags: '--output', description: 'treat the text as model output (output rules of the policy)' },
      { flags: '--show-text', description: 'print the matched text too (it may be personal data)' },
    ],
    load: guard,
    handler: 'checkCommand',
  },
];
