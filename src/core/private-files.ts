/**
 * @module core/private-files
 * The data directory holds the database (API key hashes, users, prompts, documents), the secret
 * key and the models: only its owner may read it. Directories are 0700 and files 0600 (owner bits
 * kept) whatever the umask; `keel` sets umask 077 for itself, and the embedded database's files
 * are put right again when it opens and closes, since PGlite creates them with the process umask.
 */
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const GROUP_OR_OTHER = 0o077;

/** Creates `dir` (and parents) if needed and makes it 0700. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const stats = await lstat(dir);
  if (stats.mode & GROUP_OR_OTHER) await chmod(dir, PRIVATE_DIR_MODE);
}

export interface ExposedFiles {
  /** Files and directories that group or others may access. */
  count: number;
  /** One of them, for messages. */
  example: string | undefined;
}

/** Walks `root` (not following links) calling `visit` for every entry that group or others may access. */
async function walkExposed(root: string, visit: (file: string, mode: number, dir: boolean) => Promise<void>) {
  const pending = [root];
  while (pending.length) {
    const current = pending.pop()!;
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(current);
    } catch {
      continue; // removed while walking (a WAL segment recycled)
    }
    if (stats.isSymbolicLink()) continue;
    const dir = stats.isDirectory();
    if (stats.mode & GROUP_OR_OTHER) await visit(current, stats.mode, dir);
    if (!dir) continue;
    try {
      for (const name of await readdir(current)) pending.push(path.join(current, name));
    } catch {
      // unreadable or gone
    }
  }
}

/** Removes group and other access from everything under `root`; returns how many entries changed. */
export async function makeTreePrivate(root: string): Promise<number> {
  let changed = 0;
  await walkExposed(root, async (file, mode, dir) => {
    try {
      await chmod(file, dir ? PRIVATE_DIR_MODE : mode & 0o700);
      changed++;
    } catch {
      // gone, or not ours: doctor reports what is left
    }
  });
  return changed;
}

/** Counts what group or others may access under `root` (for `keel doctor`). */
export async function findExposedFiles(root: string): Promise<ExposedFiles> {
  const found: ExposedFiles = { count: 0, example: undefined };
  await walkExposed(root, async (file) => {
    found.count++;
    found.example ??= file;
  });
  return found;
}

/** True when files this process creates would be readable by group or others. */
export function umaskIsPermissive(): boolean {
  // Reading the umask means setting it; it is set straight back.
  const mask = process.umask(0o077);
  process.umask(mask);
  return (mask & GROUP_OR_OTHER) !== GROUP_OR_OTHER;
}
