/**
 * @module cli/table/models
 * The `keel models` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const models = () => import('../commands/models.js');
const modelsList = () => import('../commands/models-list.js');

export const modelsCommands: CommandSpec[] = [
  {
    path: ['models', 'list'],
    description: 'List models: local GGUF files, remote providers and the catalog.',
    load: modelsList,
    handler: 'listCommand',
  },
  {
    path: ['models', 'show'],
    description: 'Show one model or catalog entry.',
    arguments: ['<id>'],
    load: modelsList,
    handler: 'showCommand',
  },
  {
    path: ['models', 'pull'],
    description:
      'Download a model into <data-dir>/models: a catalog id, hf:owner/repo/file.gguf or an https URL.',
    arguments: ['<source>'],
    options: [
      { flags: '--sha256 <hex>', description: 'expected SHA-256 of the file' },
      { flags: '--name <stem>', description: 'file name to save as (without .gguf)' },
    ],
    load: models,
    handler: 'pullCommand',
  },
  {
    path: ['models', 'make-test-model'],
    description:
      'Write the tiny random-weight GGUF the tests use, for offline smoke tests: a name (default tiny) goes to <data-dir>/models/<name>.gguf (llamacpp:<name>), a path where it says.',
    arguments: ['[name-or-file]'],
    load: models,
    handler: 'makeTestModelCommand',
  },
];
