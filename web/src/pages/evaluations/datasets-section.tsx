/** Evaluation datasets: the list, an upload (CSV, JSONL …) and a preview of a version's items. */
import type { Dataset } from '@keel/sdk';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Preview({ dataset }: { dataset: Dataset }) {
  const { t } = useI18n();
  const { client } = useSession();
  const preview = useLoad(
    () => client.evals.preview(dataset.id, { limit: 20 }),
    [dataset.id, dataset.latest_version],
  );
  if (preview.status === 'failed') return <ErrorNotice error={preview.error} />;
  if (!('value' in preview) || !preview.value) return <Loading />;
  const { version, items } = preview.value;
  return (
    <div className="card">
      <h3>{t('evals.previewOf', { name: dataset.name, version: String(version.version) })}</h3>
      <p className="notice-meta">
        {t('evals.columns')}: {version.columns.map((column) => column.name).join(', ')}
      </p>
      <div className="table-wrap">
        <table aria-label={t('evals.preview')}>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('evals.input')}</th>
              <th scope="col">{t('evals.references')}</th>
              <th scope="col">{t('evals.label')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.ordinal}>
                <td>{item.ordinal}</td>
                <td>
                  {Object.entries(item.input)
                    .map(([key, value]) => `${key}: ${show(value)}`)
                    .join(' · ')}
                </td>
                <td>{item.references.join(' | ')}</td>
                <td>{item.label ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function DatasetsSection({ onChanged }: { onChanged(): void }) {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const ids = { title: useId(), name: useId(), reference: useId(), file: useId() };
  const datasets = useLoad(
    (signal) => client.evals.datasets().then((r) => (signal.aborted ? [] : r.datasets)),
    [projectId],
  );
  const [name, setName] = useState('');
  const [reference, setReference] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      const result = await client.evals.uploadDataset({
        name: name.trim() || file.name.replace(/\.[^.]+$/, ''),
        file: { name: file.name, data: file, type: file.type },
        ...(reference.trim() ? { mapping: { reference: reference.trim() } } : {}),
      });
      setSelected(result.dataset.id);
      setNotice(
        t(result.created ? 'evals.uploaded' : 'evals.unchanged', {
          name: result.dataset.name,
          version: String(result.version.version),
          rows: format.number(result.version.row_count),
        }),
      );
      datasets.reload();
      onChanged();
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  };
  const list: Dataset[] = ('value' in datasets ? datasets.value : undefined) ?? [];
  const current = list.find((dataset) => dataset.id === selected);
  return (
    <section className="page-section" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('evals.datasets')}</h2>
      {can('write') ? (
        <div className="inline-form">
          <div className="field">
            <label htmlFor={ids.name}>{t('evals.datasetName')}</label>
            <input id={ids.name} value={name} onChange={(event) => setName(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.reference}>{t('evals.referenceColumn')}</label>
            <input
              id={ids.reference}
              value={reference}
              onChange={(event) => setReference(event.target.value)}
              placeholder="answer"
            />
          </div>
          <div className="field">
            <label htmlFor={ids.file}>{t('evals.uploadDataset')}</label>
            <input
              id={ids.file}
              type="file"
              accept=".csv,.tsv,.jsonl,.json,.parquet"
              disabled={busy}
              onChange={(event) => void upload(event.target.files?.[0])}
            />
          </div>
        </div>
      ) : null}
      {busy ? <Loading /> : null}
      {notice ? (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {datasets.status === 'failed' ? <ErrorNotice error={datasets.error} /> : null}
      {list.length ? (
        <div className="table-wrap">
          <table aria-label={t('evals.datasets')}>
            <thead>
              <tr>
                <th scope="col">{t('evals.dataset')}</th>
                <th scope="col">{t('evals.version')}</th>
                <th scope="col">{t('evals.rows')}</th>
                <th scope="col">{t('evals.updated')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('evals.preview')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((dataset) => (
                <tr key={dataset.id}>
                  <td>{dataset.name}</td>
                  <td>{dataset.latest_version}</td>
                  <td>{dataset.row_count === undefined ? '' : format.number(dataset.row_count)}</td>
                  <td>{format.dateTime(dataset.updated_at)}</td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      aria-pressed={dataset.id === selected}
                      onClick={() => setSelected(dataset.id === selected ? null : dataset.id)}
                    >
                      {t('evals.previewNamed', { name: dataset.name })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : datasets.status === 'loaded' ? (
        <p className="notice">{t('evals.noDatasets')}</p>
      ) : datasets.status === 'loading' ? (
        <Loading />
      ) : null}
      {current ? <Preview dataset={current} /> : null}
    </section>
  );
}
