import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectFiles } from '../../src/extraction/project-files.js';
import { runFileStoreSuite } from './file-store.suite.js';

runFileStoreSuite('local folder', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'keel-files-'));
  return { store: new ProjectFiles(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
});

describe('local folder file store', () => {
  it('keeps files private to the server user (0600)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'keel-files-'));
    try {
      const files = new ProjectFiles(dir);
      await files.write('p1', 'a/b.txt', new Uint8Array([1]));
      expect((await stat(files.pathOf('p1', 'a/b.txt'))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
