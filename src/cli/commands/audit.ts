/**
 * @module cli/commands/audit
 * `keel audit verify` checks the whole chain and names the first record that was altered, removed
 * or reordered; `keel audit export` writes records as JSON Lines. On a data directory no server
 * holds, verify opens the database itself and shows a progress bar; otherwise it asks the server.
 */
import { KeelError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { AuditApi } from '../../sdk/audit.js';
import type { CommandContext, CommandHandler } from '../command.js';
import { cliConfig, runningServer, withConnection } from '../connect.js';
import { createProgress, printJson, withSpinner } from '../output.js';

interface VerifyOutcome {
  ok: boolean;
  records: number;
  last_seq: number;
  head_hash: string | null;
  signed_records: number;
  problem: { seq: number; kind: string; message: string } | null;
  elapsed_ms: number;
}

export const verifyCommand: CommandHandler = async (context) => {
  const result = isLocal(context) ? await verifyLocally(context) : await verifyRemotely(context);
  if (context.global.json) printJson(context.io, result);
  else if (result.ok) {
    context.io.stdout.write(
      `The audit chain is intact: ${result.records} records${result.signed_records ? ` (${result.signed_records} signed)` : ''}, ` +
        `last ${result.last_seq}, head ${result.head_hash ?? '(empty)'}.\n`,
    );
  }
  if (!result.ok) {
    throw new KeelError('checksum_mismatch', `The audit chain is broken. ${result.problem!.message}`, {
      data: { seq: result.problem!.seq, kind: result.problem!.kind, checked: result.records },
    });
  }
  return 0;
};

export const exportCommand: CommandHandler = async (context, _args, options) => {
  // --project is the global option: it names the project to export.
  const query = {
    order: 'asc' as const,
    ...(options.since ? { since: String(options.since) } : {}),
    ...(options.until ? { until: String(options.until) } : {}),
    ...(options.action ? { action: String(options.action) } : {}),
    ...(context.global.project ? { project_id: context.global.project } : {}),
  };
  let count = 0;
  await withConnection(context, async ({ client }) => {
    for await (const record of new AuditApi(client).all(query)) {
      context.io.stdout.write(`${JSON.stringify(record)}\n`);
      count++;
    }
  });
  context.io.stderr.write(`Exported ${count} audit records.\n`);
  return 0;
};

function isLocal(context: CommandContext): boolean {
  const config = cliConfig(context);
  return !(context.global.url ?? context.io.env.KEEL_URL ?? runningServer(config)?.url);
}

async function verifyRemotely(context: CommandContext): Promise<VerifyOutcome> {
  return withConnection(context, ({ client }) =>
    withSpinner(context.io, 'Verifying the audit chain', () => new AuditApi(client).verify()),
  );
}

async function verifyLocally(context: CommandContext): Promise<VerifyOutcome> {
  const config = cliConfig(context);
  const [{ openDatabase }, { AuditLog, verifyJson }] = await Promise.all([
    import('../../storage/index.js'),
    import('../../audit/index.js'),
  ]);
  const db = await withSpinner(context.io, 'Opening the database', () =>
    openDatabase({ url: config.database.url, dataDir: config.dataDir }),
  );
  try {
    const audit = new AuditLog(db, { signingKey: config.audit.signingKey, logger: silentLogger });
    const progress = createProgress(context.io, 'Verifying', { unit: 'items' });
    try {
      // In process, the CLI acts as the local administrator (as connect.ts's in-process app does).
      const result = await audit.verifyAndRecord({
        actor: { keyId: 'local-cli', userId: null, role: 'admin' },
        onProgress: (checked, total) => {
          progress.setTotal(total);
          progress.update(checked);
        },
      });
      progress.stop();
      return verifyJson(result);
    } catch (error) {
      progress.stop();
      throw error;
    }
  } finally {
    await db.close();
  }
}
