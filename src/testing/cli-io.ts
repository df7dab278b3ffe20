/**
 * @module testing/cli-io
 * Captured standard streams for running the CLI in process (`runCli(argv, io)`), and a runner for
 * `keel --url <server> --key <key> …args` against a test server.
 */
import { PassThrough } from 'node:stream';
import { runCli } from '../cli/main.js';
import type { CliIO } from '../cli/output.js';

export interface CapturedIO {
  io: CliIO;
  out(): string;
  err(): string;
}

/** Streams that collect what the CLI writes; `stdinText`, when given, is what it reads. */
export function captureIO(env: NodeJS.ProcessEnv = {}, stdinText?: string): CapturedIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  if (stdinText !== undefined) stdin.end(stdinText);
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  return { io: { stdout, stderr, stdin, env }, out: () => out, err: () => err };
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `keel --url <url> --key <key> …args` in process and returns its exit code and output. */
export async function runKeelCli(
  server: { url: string; key: string },
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<CliRun> {
  const captured = captureIO(options.env, options.stdin);
  const code = await runCli(['--url', server.url, '--key', server.key, ...args], captured.io);
  return { code, out: captured.out(), err: captured.err() };
}
