import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIO } from '../../testing/cli-io.js';
import { buildTinyGguf } from '../../testing/tiny-gguf.js';
import { runCli } from '../main.js';

const model = buildTinyGguf({ seed: 9 });
let server: Server;
let base: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keel-cli-models-'));
  server = createServer((request, response) => {
    if (request.url === '/files/pulled.gguf') {
      response.writeHead(200, { 'content-length': String(model.length) }).end(model);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

describe('keel models pull', () => {
  it('downloads into <data-dir>/models and prints the saved path', async () => {
    const { io, out, err } = captureIO({ KEEL_ALLOW_PRIVATE_NETWORK_FETCH: '1' });
    const code = await runCli(['--data-dir', dataDir, 'models', 'pull', `${base}/files/pulled.gguf`], io);
    expect(err()).toContain('Saved llamacpp:pulled');
    expect(code).toBe(0);
    const file = path.join(dataDir, 'models', 'pulled.gguf');
    expect(out().trim()).toBe(file);
    expect(Buffer.compare(await readFile(file), Buffer.from(model))).toBe(0);
  });

  it('prints JSON with --json and honours --name and --sha256', async () => {
    const { io, out } = captureIO({ KEEL_ALLOW_PRIVATE_NETWORK_FETCH: 'true' });
    const sha256 = createHash('sha256').update(model).digest('hex');
    const code = await runCli(
      [
        '--json',
        '--data-dir',
        dataDir,
        'models',
        'pull',
        `${base}/files/pulled.gguf`,
        '--name',
        'renamed',
        '--sha256',
        sha256,
      ],
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(out())).toMatchObject({
      model: 'llamacpp:renamed',
      name: 'renamed',
      sha256,
      verifiedAgainst: 'option',
      alreadyPresent: false,
    });
  });

  it('refuses loopback downloads unless private network fetches are allowed', async () => {
    const { io, err } = captureIO();
    const code = await runCli(
      ['--data-dir', dataDir, 'models', 'pull', `${base}/files/pulled.gguf`, '--name', 'x'],
      io,
    );
    expect(code).toBe(2);
    expect(err()).toMatch(/error \[invalid_request\].*http/);
    expect(err()).toContain('hint:');
  });

  it('exits with the not_found code for a missing file', async () => {
    const { io, err } = captureIO({ KEEL_ALLOW_PRIVATE_NETWORK_FETCH: '1' });
    const code = await runCli(['--data-dir', dataDir, 'models', 'pull', `${base}/files/missing.gguf`], io);
    expect(code).toBe(4);
    expect(err()).toContain('error [not_found]');
  });
});

describe('keel models make-test-model', () => {
  it('writes the tiny GGUF where it is told', async () => {
    const { io, out } = captureIO();
    const file = path.join(dataDir, 'made', 'tiny-test.gguf');
    expect(await runCli(['models', 'make-test-model', file], io)).toBe(0);
    expect(out().trim()).toBe(file);
    expect((await readFile(file)).subarray(0, 4).toString()).toBe('GGUF');
  });

  it('writes <data-dir>/models/<name>.gguf for a bare name (tiny by default)', async () => {
    const named = captureIO();
    expect(
      await runCli(['--data-dir', dataDir, 'models', 'make-test-model', 'granite-offline'], named.io),
    ).toBe(0);
    expect(named.out().trim()).toBe(path.join(path.resolve(dataDir), 'models', 'granite-offline.gguf'));
    expect(named.err()).toContain('llamacpp:granite-offline');
    const fallback = captureIO();
    expect(await runCli(['--json', '--data-dir', dataDir, 'models', 'make-test-model'], fallback.io)).toBe(0);
    expect(JSON.parse(fallback.out())).toMatchObject({ model: 'llamacpp:tiny' });
    const bad = captureIO();
    expect(await runCli(['--data-dir', dataDir, 'models', 'make-test-model', 'bad name'], bad.io)).not.toBe(
      0,
    );
  });
});
