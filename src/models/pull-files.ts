/**
 * @module models/pull-files
 * The files of a download on disk: the GGUF magic check, the SHA-256, sizes, the `.meta` file that
 * remembers what a partial file is a part of, and the lock that keeps one download per target.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { KeelError } from '../core/errors.js';
import { notGgufError } from './pull-errors.js';

export async function assertGgufMagic(file: string, url: URL, metaFile: string): Promise<void> {
  const handle = await open(file, 'r');
  const head = new Uint8Array(4);
  const { bytesRead } = await handle.read(head, 0, 4, 0);
  await handle.close();
  if (bytesRead < 4 || new TextDecoder().decode(head) !== 'GGUF') {
    await rm(file, { force: true });
    await rm(metaFile, { force: true });
    throw notGgufError(url, head.subarray(0, bytesRead));
  }
}

export async function hashFile(file: string): Promise<string> {
  const hash: Hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

export async function readMeta(file: string): Promise<{ url: string; validator?: string } | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as { url: string; validator?: string };
  } catch {
    return undefined;
  }
}

/** One download per target file: a lock file holding the owner's pid, taken over when that process is gone. */
export async function acquireLock(lockFile: string, name: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(lockFile, 'utf8').catch(() => ''));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) break;
      if (owner === process.pid) break;
      await rm(lockFile, { force: true });
    }
  }
  throw new KeelError('conflict', `Another download of "${name}" is in progress.`, {
    data: { hint: `Wait for it to finish, or remove ${lockFile} if no download is running.` },
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
