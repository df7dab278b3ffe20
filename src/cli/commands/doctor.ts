/**
 * @module cli/commands/doctor
 * `keel doctor`: what is configured, what is reachable, what is missing — and how to fix each.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KeelConfig } from '../../core/config.js';
import { toKeelError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { findExposedFiles } from '../../core/private-files.js';
import { redactUrl } from '../../storage/index.js';
import type { CommandHandler } from '../command.js';
import { cliConfig, runningServer } from '../connect.js';
import { printJson, withSpinner } from '../output.js';
import { consoleDirectory } from './serve.js';

export interface Check {
  area: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

const run = promisify(execFile);

async function commandVersion(command: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(command, args, { timeout: 5000 });
    return (stdout || stderr).split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}

async function ggufFiles(config: KeelConfig): Promise<Check[]> {
  const dir = path.join(config.dataDir, 'models');
  let files: string[] = [];
  try {
    files = (await readdir(dir)).filter((file) => file.endsWith('.gguf'));
  } catch {
    // No models directory yet.
  }
  if (files.length === 0) {
    return [
      {
        area: 'models',
        status: 'warn',
        detail: `no GGUF models in ${dir}`,
        fix: 'keel models pull granite-3.3-2b-instruct (or keel models make-test-model for an offline smoke test)',
      },
    ];
  }
  const checks: Check[] = [];
  for (const file of files) {
    const full = path.join(dir, file);
    const handle = await open(full, 'r');
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    await handle.close();
    const size = (await stat(full)).size;
    checks.push(
      magic.toString('latin1') === 'GGUF'
        ? {
            area: 'models',
            status: 'ok',
            detail: `llamacpp:${file.replace(/\.gguf$/, '')} (${(size / 1024 / 1024).toFixed(1)} MiB)`,
          }
        : {
            area: 'models',
            status: 'fail',
            detail: `${file} is not a GGUF file`,
            fix: `delete it, or pull it again with keel models pull`,
          },
    );
  }
  return checks;
}

/** Warns when group or others may read or write anything in the data directory. */
export async function dataDirPermissions(dataDir: string): Promise<Check> {
  const exposed = await findExposedFiles(dataDir);
  if (exposed.count === 0)
    return {
      area: 'data directory',
      status: 'ok',
      detail: 'private to its owner (directories 0700, files 0600)',
    };
  return {
    area: 'data directory',
    status: 'warn',
    detail: `${exposed.count} file${exposed.count === 1 ? '' : 's'} or director${exposed.count === 1 ? 'y' : 'ies'} can be accessed by other users, e.g. ${exposed.example}`,
    fix: `chmod -R go-rwx ${dataDir} (keel also fixes them when it opens the database)`,
  };
}

export async function diagnose(config: KeelConfig): Promise<Check[]> {
  const checks: Check[] = [];
  checks.push({
    area: 'config',
    status: 'ok',
    detail: `data directory ${config.dataDir}; listen ${config.server.host}:${config.server.port}`,
  });
  try {
    await mkdir(config.dataDir, { recursive: true });
    await access(config.dataDir, constants.W_OK);
    checks.push({ area: 'data directory', status: 'ok', detail: 'writable' });
    // Before anything opens the database: opening it makes the files private again.
    checks.push(await dataDirPermissions(config.dataDir));
  } catch (error) {
    checks.push({
      area: 'data directory',
      status: 'fail',
      detail: (error as Error).message,
      fix: `create ${config.dataDir} or choose another with --data-dir / KEEL_DATA_DIR`,
    });
  }

  const server = runningServer(config);
  if (server) {
    checks.push({ area: 'server', status: 'ok', detail: `running at ${server.url} (pid ${server.pid})` });
  } else {
    checks.push({
      area: 'server',
      status: 'warn',
      detail: 'not running on this data directory',
      fix: 'keel serve',
    });
    try {
      const { createRuntime } = await import('../../server/runtime.js');
      const runtime = await createRuntime(config, { logger: silentLogger, processMetrics: false });
      try {
        checks.push({
          area: 'database',
          status: 'ok',
          detail: config.database.url
            ? `PostgreSQL ${redactUrl(config.database.url)}`
            : `embedded PGlite in ${path.join(config.dataDir, 'db')}`,
        });
        const statuses = await runtime.services.registry.status();
        for (const [name, status] of Object.entries(statuses)) {
          checks.push(
            status.reachable
              ? {
                  area: `provider ${name}`,
                  status: 'ok',
                  detail: `${status.type}${status.latencyMs !== undefined ? `, ${Math.round(status.latencyMs)} ms` : ''}${status.message ? ` — ${status.message}` : ''}`,
                }
              : {
                  area: `provider ${name}`,
                  status: 'fail',
                  detail: `${status.type}: ${status.message ?? 'unreachable'}`,
                  fix: 'check its baseURL and API key in keel.yaml, and that the server is up',
                },
          );
        }
      } finally {
        await runtime.close();
      }
    } catch (error) {
      const keelError = toKeelError(error);
      checks.push({
        area: 'database',
        status: 'fail',
        detail: keelError.message,
        fix: config.database.url
          ? 'check KEEL_DATABASE_URL and that PostgreSQL accepts connections'
          : 'check the data directory',
      });
    }
  }
  checks.push(...(await ggufFiles(config)));

  try {
    const { getLlama } = await import('node-llama-cpp');
    const started = performance.now();
    await getLlama({ gpu: false, logLevel: 'error' as never, logger: () => {} });
    checks.push({
      area: 'llama.cpp',
      status: 'ok',
      detail: `CPU backend loads (${Math.round(performance.now() - started)} ms)`,
    });
  } catch (error) {
    checks.push({
      area: 'llama.cpp',
      status: 'fail',
      detail: (error as Error).message,
      fix: 'reinstall with npm ci; the prebuilt node-llama-cpp binary for this platform is missing',
    });
  }

  try {
    await access(path.join(consoleDirectory, 'index.html'));
    checks.push({ area: 'console', status: 'ok', detail: 'built' });
  } catch {
    checks.push({ area: 'console', status: 'warn', detail: 'web console not built', fix: 'npm run build' });
  }
  const pdftotext = await commandVersion('pdftotext', ['-v']);
  checks.push(
    pdftotext
      ? { area: 'pdftotext', status: 'ok', detail: pdftotext }
      : {
          area: 'pdftotext',
          status: 'warn',
          detail: 'not installed (optional: faster PDF text)',
          fix: 'apt-get install poppler-utils',
        },
  );
  const tesseract = await commandVersion('tesseract', ['--version']);
  checks.push(
    tesseract
      ? { area: 'OCR', status: 'ok', detail: tesseract }
      : {
          area: 'OCR',
          status: 'warn',
          detail: 'tesseract not installed: scanned PDFs cannot be read',
          fix: 'apt-get install tesseract-ocr tesseract-ocr-kor',
        },
  );
  return checks;
}

export const doctorCommand: CommandHandler = async (context) => {
  const config = cliConfig(context);
  const checks = await withSpinner(context.io, 'Checking', () => diagnose(config));
  if (context.global.json) printJson(context.io, { checks });
  else {
    const mark = { ok: '✓', warn: '!', fail: '✗' };
    for (const check of checks) {
      context.io.stdout.write(`${mark[check.status]} ${check.area}: ${check.detail}\n`);
      if (check.fix && check.status !== 'ok') context.io.stdout.write(`    fix: ${check.fix}\n`);
    }
  }
  return checks.some((check) => check.status === 'fail') ? 1 : 0;
};
