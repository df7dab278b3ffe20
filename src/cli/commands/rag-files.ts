/**
 * @module cli/commands/rag-files
 * The files `keel rag ingest` uploads: files named on the command line as they are, and the
 * documents inside named directories, recursively. Hidden entries and `node_modules` are skipped
 * inside directories, as are files of a type Keel cannot read; `--include` / `--exclude` globs
 * (picomatch: `*.md`, `guides/**`, `{a,b}.pdf`) choose among the rest, matched against the path
 * below the named directory, or against the file name when the pattern has no slash.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { KeelError } from '../../core/errors.js';

export const mediaTypes: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.txt': 'text/plain',
};

export interface FoundFile {
  /** Where the file is on disk. */
  file: string;
  /** The document name: the path below the named directory (posix separators), or the file name. */
  name: string;
  type: string;
}

export interface FoundFiles {
  files: FoundFile[];
  /** Entries passed over inside directories, by reason. */
  skipped: { hidden: number; unsupported: number; excluded: number };
}

export interface FileFilter {
  include?: string[] | undefined;
  exclude?: string[] | undefined;
}

const skippedDirectories = new Set(['node_modules']);

/** A pattern with a slash matches the path below the named directory; one without, the file name. */
function matcher(patterns: string[] | undefined): ((relative: string) => boolean) | undefined {
  if (!patterns?.length) return undefined;
  const withSlash = patterns.filter((pattern) => pattern.includes('/'));
  const bare = patterns.filter((pattern) => !pattern.includes('/'));
  const byPath = withSlash.length ? picomatch(withSlash, { dot: true }) : () => false;
  const byName = bare.length ? picomatch(bare, { dot: true }) : () => false;
  return (relative) => byPath(relative) || byName(relative.slice(relative.lastIndexOf('/') + 1));
}

const typeOf = (file: string) => mediaTypes[path.extname(file).toLowerCase()];

/** Files to ingest from the command line's paths (files as given, directories walked). */
export async function findFiles(paths: readonly string[], filter: FileFilter = {}): Promise<FoundFiles> {
  const include = matcher(filter.include);
  const exclude = matcher(filter.exclude);
  const found: FoundFiles = { files: [], skipped: { hidden: 0, unsupported: 0, excluded: 0 } };
  const seen = new Set<string>();
  const add = (file: string, name: string, type: string) => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    found.files.push({ file, name, type });
  };

  async function walk(root: string, dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      const relative = path.relative(root, file).split(path.sep).join('/');
      if (entry.name.startsWith('.') || (entry.isDirectory() && skippedDirectories.has(entry.name))) {
        found.skipped.hidden++;
        continue;
      }
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(file).catch(() => undefined);
        isDirectory = Boolean(target?.isDirectory());
        isFile = Boolean(target?.isFile());
      }
      if (isDirectory) {
        if (exclude?.(relative) || exclude?.(`${relative}/`)) found.skipped.excluded++;
        else await walk(root, file);
        continue;
      }
      if (!isFile) continue;
      const type = typeOf(entry.name);
      if (!type) found.skipped.unsupported++;
      else if ((include && !include(relative)) || exclude?.(relative)) found.skipped.excluded++;
      else add(file, relative, type);
    }
  }

  for (const entry of paths) {
    const info = await stat(entry).catch(() => undefined);
    if (!info) throw new KeelError('not_found', `No such file or directory: ${entry}`);
    if (info.isDirectory()) await walk(entry, entry);
    else add(entry, path.basename(entry), typeOf(entry) ?? 'application/octet-stream');
  }
  return found;
}

/** "12 files found; skipped 3 hidden, 1 of another type, 2 excluded" */
export function describeFound(found: FoundFiles): string {
  const count = found.files.length;
  const { hidden, unsupported, excluded } = found.skipped;
  const skipped = [
    hidden ? `${hidden} hidden or node_modules` : '',
    unsupported ? `${unsupported} of a type Keel does not read` : '',
    excluded ? `${excluded} left out by --include/--exclude` : '',
  ].filter(Boolean);
  return `${count} file${count === 1 ? '' : 's'} found${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}.`;
}

/** Groups files into uploads under a byte budget (the server's request body limit is 10 MiB by default). */
export function batches<T extends { size: number }>(
  items: readonly T[],
  maxBytes: number,
  maxCount = 100,
): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length && (bytes + item.size > maxBytes || current.length >= maxCount)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.size;
  }
  if (current.length) out.push(current);
  return out;
}
