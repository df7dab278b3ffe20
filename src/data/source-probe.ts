/**
 * @module data/source-probe
 * A new source read once before it is recorded, in a scratch engine, so a malformed file is
 * refused when it is added rather than at query time; and the bytes it holds.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import {
  attachTable,
  type DataFormat,
  databaseFormats,
  type EngineSource,
  isFolder,
  isRemote,
  loadExtensionsFor,
  openInstance,
  readerOf,
  sqlIdentifier,
} from './engine.js';

/** Bytes of a file, or of a folder's files of the format (a remote source's are not known). */
export async function sizeOf(file: string, format: DataFormat): Promise<number> {
  if (isRemote(file)) return 0;
  if (!isFolder(file)) return (await stat(file)).size;
  let total = 0;
  for (const entry of await readdir(file, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.toLowerCase().endsWith(`.${format}`))
      total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/**
 * Reads the whole source once in a scratch engine: a malformed file fails here, not at query
 * time. For a database file, returns the table read: the one named (it must exist), or the
 * file's only table.
 */
export async function probe(
  source: Omit<EngineSource, 'name'>,
  options: { memoryLimit: string; extensionDirectory?: string | undefined },
): Promise<string | null> {
  const instance = await openInstance({ memoryLimit: options.memoryLimit });
  try {
    const connection = await instance.connect();
    try {
      let table: string | null = null;
      let from: string;
      if (databaseFormats.has(source.format)) {
        await attachTable(connection, { ...source, source_table: '' }, 'probe', options);
        const names = (
          await connection.runAndReadAll(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'probe' ORDER BY 1",
          )
        ).getRowObjectsJson() as Array<{ table_name: string }>;
        const wanted = source.source_table;
        const found = wanted
          ? names.find((row) => row.table_name.toLowerCase() === wanted.toLowerCase())
          : names.length === 1
            ? names[0]
            : undefined;
        if (!found) {
          const list = names.map((row) => row.table_name).join(', ') || 'none';
          const message = wanted
            ? `The file has no table "${wanted}" (tables: ${list}).`
            : `Name the table to read (tables: ${list}).`;
          throw new KeelError('invalid_request', message, {
            issues: [{ code: wanted ? 'unknown_table' : 'table_required', path: ['table'], message }],
          });
        }
        table = found.table_name;
        from = `${sqlIdentifier('probe')}.${sqlIdentifier(table)}`;
      } else {
        await loadExtensionsFor(connection, [source], options.extensionDirectory);
        from = readerOf(source.format, source.path);
      }
      await connection.run(`SELECT count(*) FROM ${from}`);
      return table;
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
