/**
 * @module cli/commands/models
 * `keel models …` handlers. `pull` downloads a GGUF into `<data-dir>/models`, where the embedded
 * llama.cpp provider serves it as `llamacpp:<name>` (a running server picks it up without a
 * restart); `make-test-model` writes the tiny random-weight model the tests use, for offline
 * smoke tests.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../core/config.js';
import { KeelError } from '../../core/errors.js';
import type { CommandHandler } from '../command.js';
import { createProgress, formatBytes, printJson } from '../output.js';

/** `keel models pull <source> [--sha256 <hex>] [--name <stem>]` */
export const pullCommand: CommandHandler = async (context, args, options) => {
  const source = args[0];
  if (!source)
    throw new KeelError(
      'invalid_request',
      'Name what to pull: a catalog id, hf:owner/repo/file.gguf or an https URL.',
    );
  const { io, global } = context;
  const config = loadConfig({
    configFile: global.config,
    env: io.env,
    overrides: global.dataDir ? { dataDir: global.dataDir } : {},
  });
  const modelsDir = path.join(config.dataDir, 'models');
  const { pullModel, resolvePullSource } = await import('../../models/pull.js');
  const name = (options.name as string | undefined) ?? resolvePullSource(source).name;
  const progress = createProgress(io, `Downloading ${name}`, { unit: 'bytes' });
  let totalSet = false;
  const controller = new AbortController();
  // Ctrl-C keeps the partial file: the same command resumes it.
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  let result: Awaited<ReturnType<typeof pullModel>>;
  try {
    result = await pullModel({
      source,
      modelsDir,
      ...(options.name ? { name: String(options.name) } : {}),
      ...(options.sha256 ? { sha256: String(options.sha256) } : {}),
      allowPrivateNetwork: config.security.allowPrivateNetworkFetch,
      ...(io.env.KEEL_HF_ENDPOINT ? { hfEndpoint: io.env.KEEL_HF_ENDPOINT } : {}),
      ...(io.env.HF_TOKEN ? { hfToken: io.env.HF_TOKEN } : {}),
      abortSignal: controller.signal,
      onProgress: ({ bytesDone, bytesTotal }) => {
        if (bytesTotal !== undefined && !totalSet) {
          progress.setTotal(bytesTotal);
          totalSet = true;
        }
        progress.update(bytesDone);
      },
    });
  } catch (error) {
    progress.stop();
    throw error;
  } finally {
    process.off('SIGINT', cancel);
  }
  progress.stop(
    result.alreadyPresent
      ? `${result.file} is already there (use a different --name to keep both).`
      : `Saved llamacpp:${result.name} (${formatBytes(result.sizeBytes)}, SHA-256 ${result.sha256}${
          result.verifiedAgainst === 'none'
            ? ', not verified: no checksum was known'
            : `, verified against the ${result.verifiedAgainst}`
        }).`,
  );
  if (global.json) {
    printJson(io, { model: `llamacpp:${result.name}`, ...result });
  } else {
    io.stdout.write(`${result.file}\n`);
  }
  return 0;
};

/**
 * `keel models make-test-model [name | file]`: a bare name (default `tiny`) writes
 * `<data-dir>/models/<name>.gguf`, served as `llamacpp:<name>`; a path (with a slash or ending
 * in .gguf) writes there.
 */
export const makeTestModelCommand: CommandHandler = async (context, args) => {
  const target = args[0] ?? 'tiny';
  const { io, global } = context;
  let file: string;
  if (/[\\/]/.test(target) || target.toLowerCase().endsWith('.gguf')) {
    file = path.resolve(target);
    const existing = await stat(file).catch(() => undefined);
    if (existing?.isDirectory()) file = path.join(file, 'tiny.gguf');
  } else {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(target))
      throw new KeelError(
        'invalid_request',
        `"${target}" is not a model name: use letters, digits, dot, dash and underscore.`,
      );
    const config = loadConfig({
      configFile: global.config,
      env: io.env,
      overrides: global.dataDir ? { dataDir: global.dataDir } : {},
    });
    file = path.resolve(config.dataDir, 'models', `${target}.gguf`);
  }
  const { writeTinyGguf } = await import('../../testing/tiny-gguf.js');
  const written = await writeTinyGguf(file);
  const model = `llamacpp:${path.basename(written.file, '.gguf')}`;
  if (global.json) printJson(io, { model, ...written });
  else {
    io.stdout.write(`${written.file}\n`);
    io.stderr.write(
      `Wrote a ${formatBytes(written.sizeBytes)} random-weight test model (it writes nonsense, fast); in <data-dir>/models it is ${model}.\n`,
    );
  }
  return 0;
};
