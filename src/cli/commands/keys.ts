/**
 * @module cli/commands/keys
 * `keel keys create|list|revoke` through the API, and `keel keys recover`: a fresh organisation-admin
 * key written straight into the database by whoever holds the data directory (the way back in when
 * every admin key is lost).
 */

import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { cliConfig, runningServer, withConnection } from '../connect.js';
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

export const recoverCommand: CommandHandler = async (context) => {
  const config = cliConfig(context);
  const [{ AuditLog }, { openDatabase }, { recoverAdminKey }] = await Promise.all([
    import('../../audit/index.js'),
    import('../../storage/index.js'),
    import('../../platform/bootstrap.js'),
  ]);
  const running = config.database.url ? undefined : runningServer(config);
  if (running) {
    throw new KeelError(
      'service_unavailable',
      `Keel is serving this data directory (pid ${running.pid}); stop it first, then run keel keys recover again.`,
    );
  }
  const db = await openDatabase({ url: config.database.url, dataDir: config.dataDir });
  let recovered: Awaited<ReturnType<typeof recoverAdminKey>>;
  try {
    const audit = new AuditLog(db, {
      flushIntervalMs: config.audit.flushIntervalMs,
      maxBatch: config.audit.maxBatch,
      signingKey: config.audit.signingKey,
    });
    try {
      recovered = await recoverAdminKey(db, { audit });
    } finally {
      await audit.close();
    }
  } finally {
    await db.close();
  }
  if (context.global.json) {
    printJson(context.io, {
      id: recovered.keyId,
      project_id: recovered.projectId,
      key: recovered.secret,
      audited: true,
    });
  } else {
    context.io.stdout.write(
      `Created organisation-admin key ${recovered.keyId} in project ${recovered.projectId}.\n` +
        `The secret is shown only now:\n\n    ${recovered.secret}\n\n` +
        'This was recorded in the audit log (key.recover). Revoke keys you no longer trust with keel keys revoke.\n',
    );
  }
  return 0;
};
