/**
 * @module data/query-pages
 * Server-side paging of query results. A paged query runs once: its checked, masked result is
 * spooled by DuckDB to a private Parquet file (export-spool.ts), and the caller gets the first page
 * and a page token. Each later page is read from that file (`LIMIT … OFFSET …`), so a large result
 * is never held in memory and the query is not run again. The token is signed (HMAC-SHA256 with
 * the server's key) and names the project, the caller's role (the spool holds values masked for
 * that role), the spool file, the offset, the page size, the total and an expiry; a token for
 * another project or role, a changed token or an expired one is refused. Spool files older than the
 * expiry are removed when the next paged query starts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { KeelError } from '../core/errors.js';
import { sqlString } from './engine.js';
import { type QueryResult, type RunBounds, runBounded } from './query-runner.js';

/** How long a paged result (and its tokens) lives. */
export const PAGE_TTL_MS = 15 * 60_000;

export interface PageCursor {
  /** Project. */
  p: string;
  /** The caller's role, or null for an internal caller (every mask applied). */
  r: string | null;
  /** Spool id: the file is `<spoolDir>/<s>.parquet`. */
  s: string;
  /** Offset of the page this token reads. */
  o: number;
  /** Page size. */
  n: number;
  /** Rows in the whole result. */
  t: number;
  /** Expiry, epoch milliseconds. */
  e: number;
  /** The tables the query read, and those read masked. */
  b: string[];
  m: string[];
  /** The whole result was cut at its row cap. */
  x: boolean;
}

/** One page of a paged result. */
export interface QueryPage extends QueryResult {
  tables: string[];
  masked: string[];
  totalRows: number;
  offset: number;
  /** The token for the next page, or null on the last one. */
  nextPageToken: string | null;
}

const SPOOL_ID = /^dpg_[A-Za-z0-9_-]{8,64}$/;

function refuse(message: string): never {
  throw new KeelError('invalid_request', message, {
    issues: [{ code: 'invalid_page_token', path: ['page_token'], message }],
  });
}

export function expired(): never {
  throw new KeelError('not_found', 'This result has expired: run the query again.', {
    issues: [{ code: 'page_token_expired', path: ['page_token'], message: 'the paged result has expired' }],
  });
}

export class PageTokens {
  constructor(private readonly key: Buffer) {}

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update('keel-data-page\u0000').update(body).digest();
  }

  issue(cursor: PageCursor): string {
    const body = Buffer.from(JSON.stringify(cursor)).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The cursor of a token issued to this project and role; refuses any other. */
  open(token: string, projectId: string, role: string | undefined, now = Date.now()): PageCursor {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) refuse('The page token is malformed.');
    const expected = this.mac(body);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      refuse('The page token is not valid.');
    }
    let cursor: PageCursor;
    try {
      cursor = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as PageCursor;
    } catch {
      refuse('The page token is malformed.');
    }
    if (!SPOOL_ID.test(String(cursor.s))) refuse('The page token is malformed.');
    // Issued for another project or another role: the spool holds values masked for that role.
    if (cursor.p !== projectId || cursor.r !== (role ?? null)) refuse('The page token is not valid here.');
    if (cursor.e <= now) expired();
    return cursor;
  }
}

export function spoolFile(dir: string, spoolId: string): string {
  return path.join(dir, `${spoolId}.parquet`);
}

/** Reads one page of a spooled result. */
export async function readPage(
  connection: DuckDBConnection,
  file: string,
  cursor: Pick<PageCursor, 'o' | 'n'>,
  bounds: Omit<RunBounds, 'maxRows' | 'params'>,
): Promise<QueryResult> {
  try {
    await stat(file);
  } catch {
    expired();
  }
  return runBounded(
    connection,
    `SELECT * FROM read_parquet(${sqlString(file)}) LIMIT ${cursor.n} OFFSET ${cursor.o}`,
    {
      ...bounds,
      maxRows: cursor.n,
    },
  );
}

/** Removes paged results older than their expiry (and leaves every other file alone). */
export async function sweepPages(dir: string, now = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith('dpg_') || !name.endsWith('.parquet')) continue;
    const file = path.join(dir, name);
    try {
      if (now - (await stat(file)).mtimeMs > PAGE_TTL_MS) {
        await rm(file, { force: true });
        removed++;
      }
    } catch {
      // Removed by another sweep meanwhile.
    }
  }
  return removed;
}
