/**
 * The CLI in local mode (no server: Keel opens the data directory in process) and `keel serve`
 * as a real child process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIO } from '../testing/cli-io.js';
import { ensureTinyGguf } from '../testing/tiny-gguf.js';
import { runCli } from './main.js';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keel-cli-'));
  await ensureTinyGguf(path.join(dataDir, 'models'), { fileName: 'tiny.gguf' });
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function keel(...args: string[]) {
  const captured = captureIO({ KEEL_LLAMACPP_THREADS: '1', KEEL_LOG_LEVEL: 'silent' });
  const code = await runCli(['--data-dir', dataDir, ...args], captured.io);
  return { code, out: captured.out(), err: captured.err() };
}

describe('keel CLI, local mode', () => {
  it('prints the first admin key once, then manages keys', async () => {
    const created = await keel(
      '--json',
      'keys',
      'create',
      '--name',
      'ci',
      '--role',
      'viewer',
      '--expires-in',
      '7d',
    );
    expect(created.code).toBe(0);
    expect(created.err).toMatch(/first admin key[\s\S]*keel_/);
    const key = JSON.parse(created.out);
    expect(key).toMatchObject({ name: 'ci', role: 'viewer' });
    expect(key.key).toMatch(/^keel_/);

    const listed = await keel('--json', 'keys', 'list');
    expect(listed.err).not.toContain('first admin key');
    const keys = JSON.parse(listed.out) as { id: string; name: string }[];
    expect(keys.map((k) => k.name)).toEqual(expect.arrayContaining(['admin (first start)', 'ci']));
    expect(listed.out).not.toContain(key.key);

    const revoked = await keel('keys', 'revoke', key.id);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain(`Revoked ${key.id}`);
    const table = await keel('keys', 'list', '--all');
    expect(table.out).toMatch(/ci\s+viewer.*revoked/);
  });

  it('rejects a bad role and an unknown key with coded exit statuses', async () => {
    const role = await keel('keys', 'create', '--role', 'owner');
    expect(role.code).toBe(2);
    const missing = await keel('keys', 'revoke', 'key_nothing');
    expect(missing.code).toBe(4);
    expect(missing.err).toContain('error [not_found]');
  });

  it('generates with the embedded model, plain and streamed', async () => {
    const plain = await keel(
      'generate',
      '안녕하세요',
      '--model',
      'llamacpp:tiny',
      '--max-new-tokens',
      '6',
      '--seed',
      '1',
    );
    expect(plain.code).toBe(0);
    expect(plain.out.length).toBeGreaterThan(1);
    const streamed = await keel(
      'generate',
      'hello',
      '-m',
      'llamacpp:tiny',
      '--max-new-tokens',
      '4',
      '--stream',
    );
    expect(streamed.code).toBe(0);
    const json = await keel('--json', 'generate', 'hello', '-m', 'llamacpp:tiny', '--max-new-tokens', '3');
    expect(JSON.parse(json.out).usage.completion_tokens).toBe(3);
  });

  it('explains what is missing: no model, unknown model, bad number', async () => {
    const noModel = await keel('generate', 'x');
    expect(noModel.code).toBe(2);
    expect(noModel.err).toContain('keel models list');
    const unknown = await keel('generate', 'x', '-m', 'llamacpp:nothing');
    expect(unknown.code).toBe(4);
    expect(unknown.err).toContain('error [model_not_found]');
    const bad = await keel('generate', 'x', '-m', 'llamacpp:tiny', '--temperature', 'warm');
    expect(bad.code).toBe(2);
  });

  it('lists and shows models, local and catalog', async () => {
    const list = await keel('--json', 'models', 'list');
    const overview = JSON.parse(list.out);
    expect(overview.models.map((m: { id: string }) => m.id)).toEqual(
      expect.arrayContaining(['llamacpp:tiny', 'hashing:ngram-v1']),
    );
    expect(overview.catalog.length).toBeGreaterThan(5);
    const table = await keel('models', 'list');
    expect(table.out).toContain('Catalog (keel models pull <id>)');
    const show = await keel('models', 'show', 'granite-3.3-2b-instruct');
    expect(show.out).toContain('keel models pull granite-3.3-2b-instruct');
  });

  it('runs doctor', async () => {
    const doctor = await keel('--json', 'doctor');
    const { checks } = JSON.parse(doctor.out) as { checks: { area: string; status: string }[] };
    expect(checks.find((check) => check.area === 'database')?.status).toBe('ok');
    expect(checks.find((check) => check.area === 'llama.cpp')?.status).toBe('ok');
    expect(checks.find((check) => check.area === 'models')?.status).toBe('ok');
  });

  it('refuses invalid configuration with the setting named', async () => {
    const captured = captureIO({ KEEL_PORT: 'eighty' });
    const code = await runCli(['--data-dir', dataDir, 'keys', 'list'], captured.io);
    expect(code).toBe(78);
    expect(captured.err()).toContain('server.port');
    expect(captured.err()).toContain('KEEL_PORT');
  });
});

describe('keel serve', () => {
  const bin = fileURLToPath(new URL('../../bin/keel', import.meta.url));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('serves on 127.0.0.1, refuses a second server on the same data directory, and stops cleanly', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'keel-serve-'));
    const env = {
      ...process.env,
      KEEL_FROM_SOURCE: '1',
      KEEL_BOOTSTRAP_KEY: 'keel_serve_test_key_0123456789abcdef',
      KEEL_LOG_LEVEL: 'silent',
    };
    child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dir], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
    });
    // Started from source, so a loaded machine may take a while: the test's own timeout bounds it.
    const url = await new Promise<string>((resolve, reject) => {
      child!.once('exit', (code) => reject(new Error(`serve exited with ${code} before serving: ${out}`)));
      child!.stdout!.on('data', () => {
        const match = /serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
    });
    const health = await (await fetch(`${url}/health`)).json();
    expect(health.status).toBe('ok');
    const me = await fetch(`${url}/api/v1/me`, {
      headers: { authorization: `Bearer ${env.KEEL_BOOTSTRAP_KEY}` },
    });
    expect(me.status).toBe(200);
    expect(existsSync(path.join(dir, 'server.json'))).toBe(true);

    const second = captureIO();
    expect(await runCli(['--data-dir', dir, 'serve'], second.io)).toBe(69);
    expect(second.err()).toContain('already serving');

    // With a server running, CLI commands go to it, and need a key.
    const withoutKey = captureIO({});
    expect(await runCli(['--data-dir', dir, 'keys', 'list'], withoutKey.io)).toBe(77);
    const withKey = captureIO({ KEEL_API_KEY: env.KEEL_BOOTSTRAP_KEY });
    expect(await runCli(['--json', '--data-dir', dir, 'keys', 'list'], withKey.io)).toBe(0);
    expect(JSON.parse(withKey.out())[0].name).toBe('bootstrap');

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child!.once('exit', resolve));
    expect(code).toBe(0);
    expect(existsSync(path.join(dir, 'server.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'db.lock'))).toBe(false);
    await rm(dir, { recursive: true, force: true });
  }, 180_000);
});
