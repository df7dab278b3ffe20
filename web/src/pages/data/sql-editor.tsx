/**
 * The SQL editor: one read-only statement, run as the signed-in role (masks applied), its result
 * kept on the server and read a page at a time (paged-result.tsx), and exports (CSV, NDJSON,
 * Parquet, Arrow) streamed by the server into a download.
 */
import type { DataExportFormat, DataQueryJson } from '@keel/sdk';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, isAbort, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';
import { PagedResult } from './paged-result';
import { PAGE_SIZE } from './result-table';

const exportFormats: DataExportFormat[] = ['csv', 'ndjson', 'parquet', 'arrow'];
const extension: Record<DataExportFormat, string> = {
  csv: 'csv',
  ndjson: 'ndjson',
  parquet: 'parquet',
  arrow: 'arrow',
};

export function SqlEditor({
  sql,
  onSqlChange,
  revision,
}: {
  sql: string;
  onSqlChange(sql: string): void;
  revision: number;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const ids = { sql: useId(), rows: useId() };
  const [maxRows, setMaxRows] = useState('1000');
  const [running, setRunning] = useState(false);
  // The current result's first page; PagedResult reads the others by their tokens.
  const [result, setResult] = useState<DataQueryJson | null>(null);
  const [ran, setRan] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [download, setDownload] = useState<{ url: string; file: string } | null>(null);
  const [exportError, setExportError] = useState<ShownError | null>(null);
  const controller = useRef<AbortController | null>(null);

  const request = (text: string) => ({ sql: text, max_rows: Math.max(1, Number(maxRows) || 1000) });

  async function execute(text: string) {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setRunning(true);
    setError(null);
    try {
      const first = await client.data.query({ ...request(text), page_size: PAGE_SIZE }, current.signal);
      setResult(first);
      setRan(text);
      // An earlier export belongs to an earlier result (perhaps before a mask changed): drop it.
      setDownload(null);
    } catch (cause) {
      if (!isAbort(cause)) {
        setResult(null);
        setError(describeError(cause));
      }
    } finally {
      if (controller.current === current) setRunning(false);
    }
  }

  // A tag or masking change re-runs the last query, so the result shows the new masks.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a catalog revision re-runs.
  useEffect(() => {
    if (revision > 0 && ran) void execute(ran);
  }, [revision]);
  useEffect(() => () => controller.current?.abort(), []);
  useEffect(() => () => (download ? URL.revokeObjectURL(download.url) : undefined), [download]);

  function run(event: FormEvent) {
    event.preventDefault();
    void execute(sql);
  }

  async function exportAs(kind: DataExportFormat) {
    setExportError(null);
    try {
      const response = await client.data.export(request(ran ?? sql), kind);
      const blob = await response.blob();
      setDownload({ url: URL.createObjectURL(blob), file: `result.${extension[kind]}` });
    } catch (cause) {
      setExportError(describeError(cause));
    }
  }

  return (
    <section aria-labelledby="data-sql">
      <h2 id="data-sql">{t('data.sql')}</h2>
      <form onSubmit={run} aria-label={t('data.sql')}>
        <label htmlFor={ids.sql}>{t('data.sqlLabel')}</label>
        <textarea
          id={ids.sql}
          className="data-sql"
          rows={5}
          spellCheck={false}
          value={sql}
          onChange={(e) => onSqlChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run(e);
          }}
          required
        />
        <label htmlFor={ids.rows}>{t('data.maxRows')}</label>
        <input
          id={ids.rows}
          inputMode="numeric"
          value={maxRows}
          onChange={(e) => setMaxRows(e.target.value)}
        />
        <button type="submit" disabled={running}>
          {running ? t('data.running') : t('data.run')}
        </button>
      </form>
      {error ? <ErrorNotice error={error} title={t('data.queryFailed')} /> : null}
      {result ? (
        <section aria-label={t('data.result')}>
          <PagedResult first={result} caption={t('data.result')} />
          <fieldset>
            <legend>{t('data.export')}</legend>
            {exportFormats.map((kind) => (
              <button key={kind} type="button" onClick={() => exportAs(kind)}>
                {t('data.exportAs', { format: kind.toUpperCase() })}
              </button>
            ))}
            {download ? (
              <a href={download.url} download={download.file}>
                {t('data.download', { file: download.file })}
              </a>
            ) : null}
          </fieldset>
          {exportError ? <ErrorNotice error={exportError} title={t('data.exportFailed')} /> : null}
        </section>
      ) : null}
    </section>
  );
}
