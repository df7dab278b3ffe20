/**
 * @module cli/table/core
 * The `keel serve`, `keel keys`, `keel generate` and `keel doctor` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const serve = () => import('../commands/serve.js');
const keys = () => import('../commands/keys.js');
const generate = () => import('../commands/generate.js');
const doctor = () => import('../commands/doctor.js');

export const serveCommands: CommandSpec[] = [
  {
    path: ['serve'],
    description: 'Start the Keel server (API and console).',
    options: [
      { flags: '--host <host>', description: 'address to listen on (default 127.0.0.1)' },
      { flags: '--port <port>', description: 'port to listen on (default 4141)' },
    ],
    load: serve,
    handler: 'serveCommand',
  },
];

export const keysCommands: CommandSpec[] = [
  {
    path: ['keys', 'create'],
    description: 'Create an API key (shown once).',
    options: [
      { flags: '--name <name>', description: 'a name to recognise the key by', defaultValue: 'cli' },
      {
        flags: '--role <role>',
        description: 'admin, editor, validator or viewer',
        defaultValue: 'editor',
        choices: ['admin', 'editor', 'validator', 'viewer'],
      },
      { flags: '--expires-in <duration>', description: 'lifetime, e.g. 30d, 12h (default: never)' },
    ],
    load: keys,
    handler: 'createCommand',
  },
  {
    path: ['keys', 'list'],
    description: 'List the API keys of the project.',
    options: [{ flags: '--all', description: 'include revoked keys' }],
    load: keys,
    handler: 'listCommand',
  },
  {
    path: ['keys', 'revoke'],
    description: 'Revoke an API key.',
    arguments: ['<key-id>'],
    load: keys,
    handler: 'revokeCommand',
  },
  {
    path: ['keys', 'recover'],
    description:
      'Issue a fresh organisation-admin key straight in the database (no server, no key needed; stop `keel serve` first when it uses the embedded database). Audited.',
    load: keys,
    handler: 'recoverCommand',
  },
];

export const generateCommands: CommandSpec[] = [
  {
    path: ['generate'],
    description: 'Generate text with a model.',
    arguments: ['<prompt>'],
    options: [
      { flags: '-m, --model <id>', description: 'model id, provider:model' },
      { flags: '--stream', description: 'print tokens as they arrive' },
      { flags: '--system <text>', description: 'system message (chat models)' },
      { flags: '--max-new-tokens <n>', description: 'max_new_tokens' },
      { flags: '--temperature <t>', description: 'temperature (implies sampling)' },
      { flags: '--seed <n>', description: 'random_seed' },
      { flags: '--stop <sequence...>', description: 'stop sequences' },
      { flags: '--decoding <method>', description: 'greedy or sample', choices: ['greedy', 'sample'] },
    ],
    load: generate,
    handler: 'generateCommand',
  },
];

export const doctorCommands: CommandSpec[] = [
  {
    path: ['doctor'],
    description: 'Check what is configured, reachable and missing, and how to fix it.',
    load: doctor,
    handler: 'doctorCommand',
  },
];
