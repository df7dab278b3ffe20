/**
 * A real `keel serve` for browser tests: a child process on 127.0.0.1 with a fresh data directory,
 * a known admin key, and two tiny GGUF models (llama.cpp) so that runs and comparisons are real.
 * The console it serves is web/dist, so `npm run build` must have run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeelClient } from '../../../src/sdk/index.js';
import { ensureTinyGguf } from '../../../src/testing/tiny-gguf.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const adminKey = 'keel_browser_test_admin_0123456789abcdef';
/** The two local models every browser test can use. */
export const models = ['llamacpp:tiny', 'llamacpp:tiny-ko'] as const;

export interface KeelServer {
  /** The server's address; a restart changes it (a new port). */
  readonly url: string;
  dataDir: string;
  /** An SDK client as the admin, for the server now running. */
  readonly admin: KeelClient;
  output(): string;
  /**
   * Stops the server, runs `meanwhile` (the data directory is free: open its database, edit a
   * table) and starts it again on the same data directory.
   */
  restart(meanwhile?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  url: string;
}

function spawnKeel(
  dataDir: string,
  env: Record<string, string>,
  log: (chunk: string) => void,
): Promise<Running> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'bin', 'keel'), 'serve', '--port', '0', '--data-dir', dataDir],
    {
      cwd: root,
      env: {
        ...process.env,
        KEEL_BOOTSTRAP_KEY: adminKey,
        KEEL_LOG_LEVEL: 'silent',
        KEEL_LLAMACPP_THREADS: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk;
    log(String(chunk));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return new Promise<Running>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keel serve did not start in 90 s:\n${output}`)), 90_000);
    const check = () => {
      const match = /serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`keel serve exited with ${code}:\n${output}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function startKeel(env: Record<string, string> = {}): Promise<KeelServer> {
  if (!existsSync(path.join(root, 'web', 'dist', 'index.html')))
    throw new Error('web/dist is missing: run `npm run build` before the browser tests.');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keel-browser-'));
  await ensureTinyGguf(path.join(dataDir, 'models'), { fileName: 'tiny.gguf' });
  await ensureTinyGguf(path.join(dataDir, 'models'), { fileName: 'tiny-ko.gguf', seed: 7 });
  let output = '';
  const log = (chunk: string) => {
    output += chunk;
  };
  let running = await spawnKeel(dataDir, env, log);
  let admin = new KeelClient({ baseURL: running.url, apiKey: adminKey });
  return {
    get url() {
      return running.url;
    },
    dataDir,
    get admin() {
      return admin;
    },
    output: () => output,
    async restart(meanwhile) {
      await stopChild(running.child);
      await meanwhile?.();
      running = await spawnKeel(dataDir, env, log);
      admin = new KeelClient({ baseURL: running.url, apiKey: adminKey });
    },
    async stop() {
      await stopChild(running.child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
