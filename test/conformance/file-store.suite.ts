/**
 * The file-store conformance suite: every adapter of `FileStoreV1` (a local folder, S3-compatible
 * storage) stores, reads, lists and deletes a project's files the same way, keeps projects apart,
 * and answers the same coded errors for missing files, unsafe names and oversized files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxProjectFileBytes } from '../../src/extraction/project-files.js';
import type { FileStoreV1 } from '../../src/spec/file-store.js';

export interface FileStoreFixture {
  store: FileStoreV1;
  dispose: () => Promise<void>;
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

export function runFileStoreSuite(name: string, make: () => Promise<FileStoreFixture>): void {
  describe(`file store conformance: ${name}`, () => {
    let fixture: FileStoreFixture;
    let store: FileStoreV1;
    beforeAll(async () => {
      fixture = await make();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    it('writes and reads back exact bytes, under nested and Korean names', async () => {
      const binary = new Uint8Array(256).map((_, i) => i);
      const info = await store.write('p1', 'reports/2024/q3 결과.pdf', binary);
      expect(info).toMatchObject({ name: 'reports/2024/q3 결과.pdf', bytes: 256 });
      expect(Number.isNaN(Date.parse(info.modifiedAt))).toBe(false);
      expect([...(await store.read('p1', 'reports/2024/q3 결과.pdf'))]).toEqual([...binary]);
      // A leading slash names the same file.
      expect((await store.read('p1', '/reports/2024/q3 결과.pdf')).length).toBe(256);
      await store.write('p1', 'empty.txt', new Uint8Array(0));
      expect((await store.read('p1', 'empty.txt')).length).toBe(0);
      expect((await store.info('p1', 'empty.txt')).bytes).toBe(0);
    });

    it('replaces a file on a second write', async () => {
      await store.write('p1', 'notes.md', bytes('first version, longer'));
      const second = await store.write('p1', 'notes.md', bytes('second'));
      expect(second.bytes).toBe(6);
      expect((await store.read('p1', 'notes.md')).toString('utf8')).toBe('second');
    });

    it('lists a project’s files sorted by name, and only that project’s', async () => {
      await store.write('p2', 'other.txt', bytes('another project'));
      await store.write('p1x', 'prefix-neighbour.txt', bytes('a project whose id starts with p1'));
      for (const file of ['b.txt', 'a.txt', 'c/d.txt']) await store.write('p1', file, bytes(file));
      const names = (await store.list('p1')).map((file) => file.name);
      expect(names).toEqual([
        'a.txt',
        'b.txt',
        'c/d.txt',
        'empty.txt',
        'notes.md',
        'reports/2024/q3 결과.pdf',
      ]);
      expect((await store.list('p1')).find((file) => file.name === 'a.txt')!.bytes).toBe(5);
      expect((await store.list('p2')).map((file) => file.name)).toEqual(['other.txt']);
      expect(await store.list('nobody')).toEqual([]);
      // Another project cannot read p1's file by its name.
      await expect(store.read('p2', 'a.txt')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('deletes a file; a missing file is a coded not_found for read, info and remove', async () => {
      await store.remove('p1', 'b.txt');
      expect((await store.list('p1')).map((file) => file.name)).not.toContain('b.txt');
      for (const call of [
        () => store.read('p1', 'b.txt'),
        () => store.info('p1', 'b.txt'),
        () => store.remove('p1', 'b.txt'),
      ])
        await expect(call()).rejects.toMatchObject({
          code: 'not_found',
          issues: [{ code: 'file_not_found' }],
        });
    });

    it('refuses names and project ids that could leave the project, before touching storage', async () => {
      for (const bad of [
        '../escape.txt',
        'a/../../b',
        'a//b',
        '',
        'nul\u0000.txt',
        'back\\slash',
        'x'.repeat(513),
      ]) {
        expect(() => store.check('p1', bad)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
        await expect(store.write('p1', bad, bytes('x'))).rejects.toMatchObject({ code: 'invalid_request' });
        await expect(store.read('p1', bad)).rejects.toMatchObject({ code: 'invalid_request' });
      }
      for (const project of ['../p1', '.hidden', 'a/b', ''])
        await expect(store.list(project)).rejects.toMatchObject({ code: 'invalid_request' });
      expect(store.check('p1', '/a/b.txt')).toBe('a/b.txt');
    });

    it('refuses a file over the size limit with payload_too_large', async () => {
      await expect(
        store.write('p1', 'huge.bin', new Uint8Array(maxProjectFileBytes + 1)),
      ).rejects.toMatchObject({
        code: 'payload_too_large',
      });
      expect((await store.list('p1')).map((file) => file.name)).not.toContain('huge.bin');
    });
  });
}
