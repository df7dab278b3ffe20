/**
 * A query result read in server-side pages, for the SQL editor and the ask box: the result is kept
 * on the server and each next page is read by the token the page before carried (signed, for 15
 * minutes); pages already read are kept for Previous; an expired token says so. A result that fits
 * one page shows without a pager.
 */
import type { DataQueryJson } from '@keel/sdk';
import { useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';
import { PAGE_SIZE, ResultTable } from './result-table';

export function PagedResult({ first, caption }: { first: DataQueryJson; caption: string }) {
  const { t, format } = useI18n();
  const { client } = useSession();
  // The pages read so far of this result, and the one shown.
  const [pages, setPages] = useState<DataQueryJson[]>([first]);
  const [shown, setShown] = useState(0);
  const [paging, setPaging] = useState(false);
  const [pageError, setPageError] = useState<ShownError | null>(null);
  // A new result starts again from its first page (state adjusted while rendering, as React advises).
  const [pagedFor, setPagedFor] = useState(first);
  if (pagedFor !== first) {
    setPagedFor(first);
    setPages([first]);
    setShown(0);
    setPageError(null);
  }
  const result = pages[shown] ?? first;

  /** Shows page `index`: one read before, or the next one fetched by its token. */
  async function turnTo(index: number) {
    setPageError(null);
    if (pages[index]) {
      setShown(index);
      return;
    }
    const token = pages[index - 1]?.next_page_token;
    if (!token) return;
    setPaging(true);
    try {
      const next = await client.data.page(token);
      setPages((read) => [...read.slice(0, index), next]);
      setShown(index);
    } catch (cause) {
      // A token lasts 15 minutes: after that the query is run again from its first page.
      setPageError(describeError(cause));
    } finally {
      setPaging(false);
    }
  }

  const total = result.total_rows ?? result.row_count;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <>
      <p role="status">
        {t('data.resultSummary', {
          count: format.number(total),
          ms: format.number(result.elapsed_ms, { maximumFractionDigits: 1 }),
        })}
      </p>
      {result.truncated ? <p>{t('data.truncated')}</p> : null}
      {result.masked.length > 0 ? (
        <p>{t('data.maskedTables', { tables: result.masked.join(', ') })}</p>
      ) : null}
      <ResultTable result={result} caption={caption} />
      {pageCount > 1 ? (
        <nav className="data-pager" aria-label={t('data.pages')}>
          <button type="button" disabled={shown === 0 || paging} onClick={() => turnTo(shown - 1)}>
            {t('data.previous')}
          </button>
          <span aria-live="polite">
            {t('data.page', { page: format.number(shown + 1), pages: format.number(pageCount) })}
          </span>
          <button
            type="button"
            disabled={paging || (!pages[shown + 1] && !result.next_page_token)}
            onClick={() => turnTo(shown + 1)}
          >
            {t('data.next')}
          </button>
        </nav>
      ) : null}
      {pageError ? <ErrorNotice error={pageError} title={t('data.pageFailed')} /> : null}
    </>
  );
}
