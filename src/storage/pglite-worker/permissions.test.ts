import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExposedFiles } from '../../core/private-files.js';
import { openDatabase } from '../index.js';

let parent: string;
let previousUmask: number;
beforeAll(async () => {
  parent = await mkdtemp(path.join(tmpdir(), 'keel-perm-'));
  // The worst case: a process whose umask lets everyone read and write what it creates.
  previousUmask = process.umask(0);
});
afterAll(async () => {
  process.umask(previousUmask);
  await rm(parent, { recursive: true, force: true });
});

describe('embedded database files', () => {
  it('are the owner’s only (0700 / 0600) whatever the umask, after open and after close', async () => {
    const dataDir = path.join(parent, 'data');
    const db = await openDatabase({ dataDir });
    try {
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      expect(await findExposedFiles(dataDir)).toEqual({ count: 0, example: undefined });
      await db.query('CREATE TABLE perm_probe (v text)');
      await db.query("INSERT INTO perm_probe SELECT repeat('x', 100) FROM generate_series(1, 1000)");
      await db.exec('CHECKPOINT');
      // A file dropped in loose while Keel runs is made private on the next open or close.
      await writeFile(path.join(dataDir, 'db', 'loose'), 'x', { mode: 0o666 });
    } finally {
      await db.close();
    }
    expect(await findExposedFiles(dataDir)).toEqual({ count: 0, example: undefined });
    expect((await stat(path.join(dataDir, 'db', 'loose'))).mode & 0o777).toBe(0o600);
  }, 180_000); // a database created on disk, migrated: slow on a busy machine
});
