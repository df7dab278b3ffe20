/**
 * A query result's rows, a page at a time (the server already bounded them by the row limit). A
 * result of at most one page (the SQL editor's server-side pages) shows without a pager.
 */
import type { DataQueryJson } from '@keel/sdk';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n-context';

/** Rows on one page, here and in the SQL editor's server-side pages. */
export const PAGE_SIZE = 25;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function ResultTable({ result, caption }: { result: DataQueryJson; caption: string }) {
  const { t } = useI18n();
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(result.rows.length / PAGE_SIZE));
  // A new result starts on its first page (state adjusted while rendering, as React advises).
  const [pagedFor, setPagedFor] = useState(result);
  if (pagedFor !== result) {
    setPagedFor(result);
    setPage(0);
  }
  if (result.rows.length === 0) return <p>{t('data.noRows')}</p>;
  const shown = result.rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  return (
    <>
      <div className="table-wrap">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {result.columns.map((column) => (
                <th key={column.name} scope="col" title={column.type}>
                  {column.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own.
              <tr key={page * PAGE_SIZE + i}>
                {row.map((value, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional.
                  <td key={j}>{cell(value)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav className="data-pager" aria-label={t('data.page', { page: page + 1, pages })}>
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            {t('data.previous')}
          </button>
          <span>{t('data.page', { page: page + 1, pages })}</span>
          <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
            {t('data.next')}
          </button>
        </nav>
      ) : null}
    </>
  );
}
