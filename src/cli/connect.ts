/**
 * @module cli/connect
 * How a CLI command reaches Keel. With `--url`/`KEEL_URL`, or when `keel serve` is running on the
 * same data directory, it talks HTTP to that server (with `--key`/`KEEL_API_KEY`). Otherwise it
 * starts Keel in-process on the data directory and calls the same HTTP app in memory, acting as
 * the local administrator (whoever can read the data directory owns it). Either way commands use
 * the SDK, so the CLI and the API cannot drift apart.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type ErrorCode, errorCodes } from '../core/codes.js';
import { type KeelConfig, loadConfig } from '../core/config.js';
import { KeelError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Principal } from '../platform/principal.js';
import { KeelClient } from '../sdk/client.js';
import { KeelApiError } from '../sdk/errors.js';
import type { CommandContext } from './command.js';
import { withSpinner } from './output.js';

export function cliConfig(context: CommandContext, overrides: Record<string, unknown> = {}): KeelConfig {
  return loadConfig({
    configFile: context.global.config,
    env: context.io.env,
    overrides: { ...(context.global.dataDir ? { dataDir: context.global.dataDir } : {}), ...overrides },
  });
}

export interface Connection {
  client: KeelClient;
  mode: 'local' | 'remote';
  config: KeelConfig;
  close(): Promise<void>;
}

export interface ServerInfo {
  url: string;
  pid: number;
  startedAt: string;
}

export function serverInfoPath(config: KeelConfig): string {
  return path.join(config.dataDir, 'server.json');
}

/** The server running on this data directory, if its process is alive. */
export function runningServer(config: KeelConfig): ServerInfo | undefined {
  const file = serverInfoPath(config);
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}

export async function connect(context: CommandContext): Promise<Connection> {
  const config = cliConfig(context);
  const env = context.io.env;
  const url = context.global.url ?? env.KEEL_URL ?? runningServer(config)?.url;
  const project = context.global.project;
  if (url) {
    const apiKey = context.global.key ?? env.KEEL_API_KEY;
    if (!apiKey) {
      throw new KeelError(
        'unauthorized',
        `A Keel server is running at ${url}; give an API key with --key or KEEL_API_KEY.`,
        {
          data: {
            hint: 'The admin key was printed when the server first started; create more with `keel keys create`.',
          },
        },
      );
    }
    return {
      client: new KeelClient({ baseURL: url, apiKey, project }),
      mode: 'remote',
      config,
      close: async () => {},
    };
  }
  const { createRuntime } = await import('../server/runtime.js');
  const { createApp } = await import('../server/app.js');
  const runtime = await createRuntime(config, { logger: silentLogger, processMetrics: false });
  const { installation } = runtime.services;
  if (installation.generatedAdminKey) printFirstStartKey(context, installation.generatedAdminKey);
  const projectId = project ?? installation.defaultProjectId;
  const localPrincipal: Principal = {
    keyId: 'local-cli',
    kind: 'api',
    organizationId: installation.organizationId,
    defaultProjectId: projectId,
    projectRoles: new Map([[projectId, 'admin']]),
    userId: null,
    orgAdmin: true,
  };
  const app = createApp(runtime.services, { localPrincipal });
  const client = new KeelClient({ baseURL: 'http://keel.local', fetch: (request) => app.fetch(request) });
  return { client, mode: 'local', config, close: () => runtime.close() };
}

/**
 * Runs `work` with a connection and always closes it. A spinner shows while Keel starts in
 * process (about two seconds on PGlite). Errors the API answered come back from the SDK as
 * KeelApiError; they become KeelErrors again, so the CLI prints their code, issues and hint and
 * exits with their code.
 */
export async function withConnection<T>(
  context: CommandContext,
  work: (connection: Connection) => Promise<T>,
): Promise<T> {
  try {
    const connection = await withSpinner(context.io, 'Starting Keel', () => connect(context));
    try {
      return await work(connection);
    } finally {
      await connection.close();
    }
  } catch (error) {
    throw error instanceof KeelApiError ? fromApiError(error) : error;
  }
}

export function fromApiError(error: KeelApiError): KeelError {
  const code: ErrorCode =
    error.code in errorCodes
      ? (error.code as ErrorCode)
      : error.status >= 500
        ? 'upstream_error'
        : 'invalid_request';
  return new KeelError(code, error.message, {
    cause: error,
    ...(error.issues.length ? { issues: error.issues } : {}),
    ...(Object.keys(error.data).length ? { data: error.data } : {}),
  });
}

/** First start prints the generated admin key once: it is stored only as a hash. */
export function printFirstStartKey(context: CommandContext, key: string): void {
  context.io.stderr.write(
    `\nKeel created its first admin key. It is shown only now; store it safely:\n\n    ${key}\n\nUse it as a bearer token (KEEL_API_KEY) with the API, the console and \`keel --url\`.\n\n`,
  );
}
