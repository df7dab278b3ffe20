/**
 * @module testing/cli-io
 * Captured standard streams for running the CLI in process (`runCli(argv, io)`).
 */
import { PassThrough } from 'node:stream';
import type { CliIO } from '../cli/output.js';

export interface CapturedIO {
  io: CliIO;
  out(): string;
  err(): string;
}

export function captureIO(env: NodeJS.ProcessEnv = {}): CapturedIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  return { io: { stdout, stderr, stdin: new PassThrough(), env }, out: () => out, err: () => err };
}
