/**
 * @module cli/commands/serve
 * `keel serve`: start the API and the console on 127.0.0.1 (unless told otherwise), print the
 * first admin key on first start, and shut down cleanly on SIGINT/SIGTERM.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KeelError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { createApp } from '../../server/app.js';
import { listen } from '../../server/listen.js';
import { createRuntime } from '../../server/runtime.js';
import type { CommandHandler } from '../command.js';
import { cliConfig, printFirstStartKey, runningServer, serverInfoPath } from '../connect.js';
import { withSpinner } from '../output.js';

export const consoleDirectory = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export const serveCommand: CommandHandler = async (context, _args, options) => {
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new KeelError('invalid_config', `--port must be a port number (0-65535), got "${options.port}".`);
  }
  const config = cliConfig(context, {
    server: {
      ...(options.host ? { host: String(options.host) } : {}),
      ...(port !== undefined ? { port } : {}),
    },
  });
  const running = runningServer(config);
  if (running)
    throw new KeelError(
      'service_unavailable',
      `Keel is already serving this data directory at ${running.url} (pid ${running.pid}).`,
    );

  const io = context.io;
  const logger = createLogger(config.logging.level);
  const runtime = await withSpinner(io, 'Starting Keel', () => createRuntime(config, { logger }));
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    const app = createApp(runtime.services, { consoleDir: consoleDirectory });
    server = await listen(app, { host: config.server.host, port: config.server.port });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const infoFile = serverInfoPath(config);
  // With PostgreSQL and KEEL_SECRET_KEY nothing else may have created the data directory yet.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(
    infoFile,
    JSON.stringify({ url: server.url, pid: process.pid, startedAt: new Date().toISOString() }),
    { mode: 0o600 },
  );

  const { installation } = runtime.services;
  if (installation.generatedAdminKey) printFirstStartKey(context, installation.generatedAdminKey);
  if (config.database.url && !config.secretKey) {
    io.stderr.write(
      'warning: no KEEL_SECRET_KEY: this replica seals data with a key of its own data directory; replicas sharing a database must share KEEL_SECRET_KEY (see docs/architecture/scaling.md).\n',
    );
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(config.server.host)) {
    io.stderr.write(
      `warning: listening on ${config.server.host}: Keel is reachable from other machines. Put TLS in front of it.\n`,
    );
  }
  io.stdout.write(
    `Keel ${runtime.services.version} is serving at ${server.url}\n  console: ${server.url}/\n  API reference: ${server.url}/docs\n  database: ${runtime.services.db.provider}${config.database.url ? '' : ` (${config.dataDir})`}\nPress Ctrl+C to stop.\n`,
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      io.stderr.write(`\n${signal}: stopping (finishing requests in flight)…\n`);
      await server.close(10_000);
      await runtime.close();
      rmSync(infoFile, { force: true });
      logger.flush?.();
      resolve();
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
  return 0;
};
