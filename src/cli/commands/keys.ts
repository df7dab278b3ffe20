/**
 * @module cli/commands/keys
 * `keel keys create|list|revoke`.
 */

import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { printJson, printRows } from '../output.js';

export const createCommand: CommandHandler = async (context, _args, options) => {
  const key = await withConnection(context, ({ client }) =>
    client.keys.create({
      name: String(options.name),
      role: options.role as 'admin' | 'editor' | 'validator' | 'viewer',
      ...(options.expiresIn ? { expires_in: String(options.expiresIn) } : {}),
    }),
  );
  if (context.global.json) printJson(context.io, key);
  else {
    context.io.stdout.write(
      `Created ${key.role} key ${key.id} (${key.name})${key.expires_at ? `, expires ${key.expires_at}` : ''}.\n`,
    );
    context.io.stdout.write(`The secret is shown only now:\n\n    ${key.key}\n\n`);
  }
  return 0;
};

export const listCommand: CommandHandler = async (context, _args, options) => {
  const { keys } = await withConnection(context, ({ client }) =>
    client.keys.list({ includeRevoked: Boolean(options.all) }),
  );
  printRows(context.io, context.global.json, keys, (key) => ({
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: `${key.prefix}…`,
    created: key.created_at.slice(0, 10),
    expires: key.expires_at?.slice(0, 10) ?? 'never',
    last_used: key.last_used_at?.slice(0, 16).replace('T', ' ') ?? '',
    status: key.revoked_at
      ? 'revoked'
      : key.expires_at && new Date(key.expires_at) < new Date()
        ? 'expired'
        : 'active',
  }));
  return 0;
};

export const revokeCommand: CommandHandler = async (context, args) => {
  const key = await withConnection(context, ({ client }) => client.keys.revoke(args[0]!));
  if (context.global.json) printJson(context.io, key);
  else context.io.stdout.write(`Revoked ${key.id} (${key.name}).\n`);
  return 0;
};
