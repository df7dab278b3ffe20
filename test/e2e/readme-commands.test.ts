/**
 * Every command in README.md's shell code blocks, run as a new user would run it offline: a
 * `keel serve` on a scratch data directory (the README's "with a server running"), `npx keel …`
 * as `node bin/keel …` from the sources, the tiny generated model as `$MODEL`, and the server's
 * address for `127.0.0.1:4141`. Lines that install the project, download from the internet or
 * set the shell environment are skipped (listed below); the rest must exit 0, or the exit status
 * the README gives them.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeCommands } from './readme-commands.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'keel');
const key = 'keel_readme_test_key_0123456789abcdef';

/** Why a README command is not run here, or undefined when it is. */
function skipReason(command: string): string | undefined {
  if (/^(npm|sudo|KEEL_CHROMIUM=)/.test(command)) return 'installs or tests the project';
  if (/^export\b/.test(command)) return 'sets the shell environment (given to every command here)';
  if (/keel models pull\b/.test(command)) return 'downloads from the internet';
  return undefined;
}

/** The exit status a README comment documents (`# exit status 3: …`), else 0. */
const expectedStatus = (command: string) => Number(/# exit status (\d+)/.exec(command)?.[1] ?? 0);

let work: string;
let env: NodeJS.ProcessEnv;
let server: ChildProcess | undefined;
let url: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'keel-readme-'));
  // `./docs/` in the README is the repository's docs folder.
  await symlink(path.join(root, 'docs'), path.join(work, 'docs'));
  const { KEEL_URL: _url, KEEL_CONFIG: _config, ...rest } = process.env;
  env = {
    ...rest,
    KEEL_FROM_SOURCE: '1',
    KEEL_DATA_DIR: path.join(work, '.keel'),
    KEEL_BOOTSTRAP_KEY: key,
    KEEL_API_KEY: key,
    KEEL_LLAMACPP_THREADS: '1',
    KEEL_LOG_LEVEL: 'silent',
    MODEL: 'llamacpp:tiny',
    NO_COLOR: '1',
  };
  server = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
    cwd: work,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keel serve did not start: ${out}`)), 110_000);
    server!.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    server!.stderr!.resume();
  });
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server!.once('exit', resolve));
  }
  if (work) await rm(work, { recursive: true, force: true });
});

describe('README commands', () => {
  it('extracts the commands of the shell blocks', async () => {
    const commands = readmeCommands(await readFile(path.join(root, 'README.md'), 'utf8'));
    expect(commands.some((c) => c.startsWith('npx keel models make-test-model tiny'))).toBe(true);
    expect(commands.find((c) => c.startsWith('cat > questions.jsonl'))).toMatch(/\nEOF$/);
    expect(commands.find((c) => c.startsWith('curl -s http://127.0.0.1:4141/v1/chat'))).toContain("-d '{");
  });

  it('runs every command of the README offline, on the tiny model', { timeout: 300_000 }, async () => {
    const commands = readmeCommands(await readFile(path.join(root, 'README.md'), 'utf8'));
    const ran: string[] = [];
    // The offline first step comes first, whatever the order of the README.
    const ordered = [
      ...commands.filter((c) => c.includes('make-test-model')),
      ...commands.filter((c) => !c.includes('make-test-model')),
    ];
    for (const command of ordered) {
      if (skipReason(command)) continue;
      const runnable = command
        .replaceAll('npx keel ', `node ${JSON.stringify(bin)} `)
        .replaceAll('http://127.0.0.1:4141', url);
      const result = spawnSync('sh', ['-c', runnable], {
        cwd: work,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(result.status, `${command}\n${result.stdout}\n${result.stderr}`).toBe(expectedStatus(command));
      ran.push(command);
    }
    expect(ran.length).toBeGreaterThanOrEqual(14);
    expect(ran.some((c) => c.includes('rag ingest manuals ./docs/'))).toBe(true);
  });
});
