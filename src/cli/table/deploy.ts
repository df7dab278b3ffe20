/**
 * @module cli/table/deploy
 * The `keel deploy` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const deploy = () => import('../commands/deploy.js');

export const deployCommands: CommandSpec[] = [
  {
    path: ['deploy', 'create'],
    description:
      'Deploy a template version (--template name@version) or a collection (--collection id) into a space.',
    arguments: ['<name>'],
    options: [
      { flags: '--template <ref>', description: 'template: name, name@version or name@label' },
      { flags: '--collection <id>', description: 'RAG collection id or name' },
      { flags: '--space <space>', description: "space id or name (default: the project's default space)" },
      { flags: '--serving-name <name>', description: 'the name inference addresses it by' },
      { flags: '--model <id>', description: "provider:model (default: the template's)" },
      { flags: '--policy <name>', description: 'guardrail policy over the template’s' },
    ],
    load: deploy,
    handler: 'createCommand',
  },
  {
    path: ['deploy', 'list'],
    description: "List the project's deployments.",
    options: [{ flags: '--space <space>', description: 'only this space' }],
    load: deploy,
    handler: 'listCommand',
  },
  {
    path: ['deploy', 'rollback'],
    description: 'Serve a previous version again (default: the one before the current).',
    arguments: ['<deployment>'],
    options: [{ flags: '--to <version>', description: 'the version to serve' }],
    load: deploy,
    handler: 'rollbackCommand',
  },
  {
    path: ['deploy', 'split'],
    description:
      'Split traffic between two versions: keel deploy split <deployment> 1=90 2=10 (--off ends it).',
    arguments: ['<deployment>', '[weights...]'],
    options: [
      { flags: '--random', description: 'draw per request instead of hashing the request id' },
      { flags: '--off', description: 'end the split' },
    ],
    load: deploy,
    handler: 'splitCommand',
  },
];
