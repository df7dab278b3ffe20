/**
 * PostgreSQL restarted under a Keel database: a private server (initdb into a temporary
 * directory, its own port — never the shared test server) is stopped and started again. Queries in
 * the outage fail with 503 service_unavailable, the pool recovers by itself, and the listening
 * connection comes back and tells its listeners that notifications may have been missed (`*`).
 * Runs with KEEL_TEST_DATABASE_URL set (PostgreSQL installed) and the server binaries found.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../src/core/errors.js';
import { createPostgresDatabase, type PostgresDatabase } from '../../src/storage/postgres/driver.js';
import { testPostgresUrl } from '../../src/testing/database.js';

function serverBinaries(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(path.join(dir, 'initdb'))) return dir;
  } catch {}
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  for (const version of readdirSync(base).sort().reverse()) {
    const dir = path.join(base, version, 'bin');
    if (existsSync(path.join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

const bin = testPostgresUrl ? serverBinaries() : undefined;
const asRoot = process.getuid?.() === 0;

/** Runs a server binary; as root, as the `postgres` user (the server refuses to run as root). */
function pg(tool: string, args: string[]): void {
  const command = path.join(bin!, tool);
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore' });
  else execFileSync(command, args, { stdio: 'ignore' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let dir: string;
let port: number;
let db: PostgresDatabase | undefined;
const start = () =>
  pg('pg_ctl', [
    '-D',
    path.join(dir, 'data'),
    '-o',
    `-p ${port} -k ${dir}`,
    '-l',
    path.join(dir, 'log'),
    '-w',
    'start',
  ]);
const stop = () => pg('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'fast', '-w', 'stop']);

(bin ? describe : describe.skip)('PostgreSQL restarted under Keel', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'keel-pg-'));
    if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), 0);
    port = await freePort();
    pg('initdb', ['-D', path.join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync']);
    start();
    db = await createPostgresDatabase({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
      max: 2,
    });
  }, 120_000);

  afterAll(async () => {
    await db?.close().catch(() => {});
    try {
      stop();
    } catch {}
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('answers 503 while it is down and recovers, listener included, when it is back', async () => {
    const heard: string[] = [];
    await db!.listen('keel_restart', (payload) => heard.push(payload));
    await db!.query("SELECT pg_notify('keel_restart', 'before')");
    await expect.poll(() => heard, { timeout: 5000 }).toContain('before');

    stop();
    for (const attempt of [
      () => db!.query('SELECT 1'),
      () => db!.transaction((tx) => tx.query('SELECT 1')),
    ]) {
      const error = await attempt().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(KeelError);
      expect((error as KeelError).code).toBe('service_unavailable');
      expect((error as KeelError).status).toBe(503);
    }

    start();
    await expect
      .poll(
        () =>
          db!.query<{ one: number }>('SELECT 1 AS one').then(
            (r) => r.rows[0]!.one,
            () => 0,
          ),
        {
          timeout: 10_000,
          interval: 100,
        },
      )
      .toBe(1);
    // Reconnected and listening again: first the "you may have missed something", then new ones.
    await expect.poll(() => heard, { timeout: 30_000, interval: 100 }).toContain('*');
    await db!.query("SELECT pg_notify('keel_restart', 'after')");
    await expect.poll(() => heard, { timeout: 5000 }).toContain('after');
  }, 90_000);
});
