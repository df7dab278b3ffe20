/**
 * Data as RAG sources: a table's rows, or a read-only query's, become a collection's documents
 * through a row template (`{{column}}` placeholders) or text columns, every masking policy applied.
 * Each source shows its schedule, its last sync (or the error of its last attempt) and its next
 * sync; editors add sources, sync one now and set or remove its schedule. Viewers read. "Sync
 * now" queues a job, and so does adding a source (its first sync): its progress shows on the
 * source's row until it ends, then the source's last sync (or last error) is read again. A sync
 * found queued or running when the sources are read (after a reload) is followed the same way.
 */
import type {
  DataRagSourceJson,
  DataRagSourceRequest,
  DataSyncSchedule,
  TuningJobJson as JobJson,
} from '@keel/sdk';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { ProgressBar } from '../../components/progress-bar';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import {
  ScheduleFields,
  ScheduleForm,
  type ScheduleKind,
  scheduleOf,
  useScheduleText,
} from './rag-source-schedule-form';
import { SyncFailed, useSyncJob } from './use-sync-job';

const commaList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export function RagSourcesPanel({ tables }: { tables: string[] }) {
  const { t } = useI18n();
  const { client, can } = useSession();
  const [changes, setChanges] = useState(0);
  const sources = useLoad(() => client.data.ragSources(), [client, changes]);
  const collections = useLoad(async () => (await client.rag.list()).collections, [client]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { syncing, follow, unfollowed, stop } = useSyncJob();
  // The sources as shown when the last action ended: stale (a job on them may have ended since)
  // until they are read again.
  const shown = useRef<DataRagSourceJson[] | undefined>(undefined);
  const stale = useRef<DataRagSourceJson[] | undefined>(undefined);

  async function act(work: () => Promise<string>) {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      setNotice(await work());
    } catch (cause) {
      setError(cause instanceof SyncFailed ? cause.shown : describeError(cause));
    } finally {
      setBusy(false);
      stop();
      stale.current = shown.current;
      // Read the sources again either way: a failed sync is kept on its source.
      setChanges((value) => value + 1);
    }
  }

  const collectionList = collections.status === 'failed' ? undefined : collections.value;
  const collectionName = (id: string) => collectionList?.find((item) => item.id === id)?.name ?? id;
  const list = sources.status === 'failed' ? undefined : sources.value;
  shown.current = list;

  /** Follows a source's sync job (queued by `queue`) to its end, then says what it did. */
  const syncOf = (source: DataRagSourceJson, queue: () => Promise<JobJson | string>) =>
    act(async () => {
      const sync = await follow(source.id, await queue());
      return t('data.ragSynced', { name: source.table, rows: sync.rows, queued: sync.queued });
    });

  // A sync already queued or running when the sources are read (the page was reloaded) shows
  // its progress to an editor as after "Sync now".
  const pending = busy || !can('write') || list === stale.current ? undefined : unfollowed(list);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows each job once, by its id.
  useEffect(() => {
    const job = pending?.running_job;
    if (pending && job) void syncOf(pending, async () => job);
  }, [pending?.running_job]);

  return (
    <section aria-labelledby="data-rag-sources">
      <h2 id="data-rag-sources">{t('data.ragSources')}</h2>
      <p>{t('data.ragSourcesIntro')}</p>
      {sources.status === 'failed' ? <ErrorNotice error={sources.error} /> : null}
      {sources.status === 'loading' && !list ? <Loading /> : null}
      {list && list.length === 0 ? <p>{t('data.noRagSources')}</p> : null}
      {list && list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption>{t('data.ragSourcesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('data.ragSource')}</th>
                <th scope="col">{t('data.ragCollection')}</th>
                <th scope="col">{t('data.ragRowText')}</th>
                <th scope="col">{t('data.ragSchedule')}</th>
                <th scope="col">{t('data.ragLastSync')}</th>
                <th scope="col">{t('data.ragNextSync')}</th>
                {can('write') ? <th scope="col">{t('data.ragActions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.map((source) => (
                <RagSourceRow
                  key={source.id}
                  source={source}
                  collection={collectionName(source.collection_id)}
                  busy={busy}
                  syncJob={syncing?.source === source.id ? syncing.job : null}
                  onSync={() => syncOf(source, () => client.data.syncRagSource(source.id))}
                  onSchedule={(schedule) =>
                    act(async () => {
                      await client.data.scheduleRagSource(source.id, schedule);
                      return t('data.ragScheduleSaved', { name: source.table });
                    })
                  }
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {notice ? <p role="status">{notice}</p> : null}
      {error ? <ErrorNotice error={error} title={t('data.ragFailed')} /> : null}
      {can('write') ? (
        <NewRagSource
          tables={tables}
          collections={collectionList?.map((item) => item.name) ?? []}
          busy={busy}
          onCreate={(input) =>
            act(async () => {
              const { source, job } = await client.data.addRagSource(input);
              // The new source's row shows its first sync's progress: read the sources again now.
              const sync = follow(source.id, job);
              setChanges((value) => value + 1);
              const counts = await sync;
              return t('data.ragCreated', { name: source.table, rows: counts.rows, queued: counts.queued });
            })
          }
        />
      ) : null}
    </section>
  );
}

function RagSourceRow({
  source,
  collection,
  busy,
  syncJob,
  onSync,
  onSchedule,
}: {
  source: DataRagSourceJson;
  collection: string;
  busy: boolean;
  /** The sync job being followed for this source, if any. */
  syncJob: JobJson | null;
  onSync(): void;
  onSchedule(schedule: DataSyncSchedule | null): void;
}) {
  const { t, format } = useI18n();
  const { can } = useSession();
  const scheduleText = useScheduleText();
  const sync = source.last_sync;
  return (
    <tr>
      <th scope="row">
        {source.table}
        {source.query ? (
          <>
            {' '}
            <span>{t('data.ragFromQuery')}</span>
            <pre>{source.query}</pre>
          </>
        ) : null}
      </th>
      <td>{collection}</td>
      <td>{source.template ? <pre>{source.template}</pre> : source.text_columns.join(', ')}</td>
      <td>{scheduleText(source.schedule)}</td>
      <td>
        {source.last_synced_at && sync
          ? t('data.ragSyncSummary', {
              at: format.dateTime(source.last_synced_at),
              rows: format.number(sync.rows),
              queued: format.number(sync.queued),
              removed: format.number(sync.removed),
            })
          : t('data.ragNeverSynced')}
        {source.last_error ? (
          <p role="alert">
            {t('data.ragLastError', {
              at: source.last_attempt_at ? format.dateTime(source.last_attempt_at) : '',
              message: source.last_error.message,
            })}
          </p>
        ) : null}
      </td>
      <td>{source.next_sync_at ? format.dateTime(source.next_sync_at) : '—'}</td>
      {can('write') ? (
        <td>
          <button
            type="button"
            disabled={busy}
            aria-label={t('data.ragSyncNowOf', { name: source.table })}
            onClick={onSync}
          >
            {t('data.ragSyncNow')}
          </button>
          {syncJob ? (
            <ProgressBar
              label={t('data.ragSyncProgressOf', { name: source.table })}
              done={syncJob.progress.done}
              total={syncJob.progress.total ?? undefined}
              unit="items"
              detail={t(`data.ragSyncStatus.${syncJob.status as JobJson['status']}`)}
            />
          ) : null}
          <ScheduleForm name={source.table} current={source.schedule} busy={busy} onSave={onSchedule} />
        </td>
      ) : null}
    </tr>
  );
}

function NewRagSource({
  tables,
  collections,
  busy,
  onCreate,
}: {
  tables: string[];
  collections: string[];
  busy: boolean;
  onCreate(input: DataRagSourceRequest): void;
}) {
  const { t } = useI18n();
  const ids = {
    collection: useId(),
    table: useId(),
    query: useId(),
    name: useId(),
    template: useId(),
    templateHelp: useId(),
    idColumn: useId(),
    metadata: useId(),
  };
  const [collection, setCollection] = useState('');
  const [from, setFrom] = useState<'table' | 'query'>('table');
  const [table, setTable] = useState('');
  const [query, setQuery] = useState('');
  const [name, setName] = useState('');
  const [template, setTemplate] = useState('');
  const [idColumn, setIdColumn] = useState('');
  const [metadata, setMetadata] = useState('');
  const [kind, setKind] = useState<ScheduleKind>('none');
  const [value, setValue] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    const chosenCollection = collection || collections[0] || '';
    const chosenTable = table || tables[0] || '';
    onCreate({
      collection: chosenCollection,
      ...(from === 'table' ? { table: chosenTable } : { query, name }),
      template,
      ...(idColumn.trim() ? { id_column: idColumn.trim() } : {}),
      metadata_columns: commaList(metadata),
      schedule: scheduleOf(kind, value),
    });
  }

  return (
    <form className="data-rag-new" onSubmit={submit} aria-labelledby="data-rag-new">
      <h3 id="data-rag-new">{t('data.ragNew')}</h3>
      <label htmlFor={ids.collection}>{t('data.ragCollection')}</label>
      <select id={ids.collection} value={collection} onChange={(e) => setCollection(e.target.value)} required>
        {collections.length === 0 ? <option value="">{t('data.ragNoCollections')}</option> : null}
        {collections.map((item) => (
          <option key={item} value={item}>
            {item}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>{t('data.ragRowsFrom')}</legend>
        <label>
          <input type="radio" name="rag-from" checked={from === 'table'} onChange={() => setFrom('table')} />
          {t('data.ragFromTable')}
        </label>
        <label>
          <input type="radio" name="rag-from" checked={from === 'query'} onChange={() => setFrom('query')} />
          {t('data.ragFromQueryOption')}
        </label>
      </fieldset>
      {from === 'table' ? (
        <>
          <label htmlFor={ids.table}>{t('data.ragTable')}</label>
          <select id={ids.table} value={table} onChange={(e) => setTable(e.target.value)} required>
            {tables.map((item) => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
        </>
      ) : (
        <>
          <label htmlFor={ids.query}>{t('data.ragQuery')}</label>
          <textarea
            id={ids.query}
            className="data-sql"
            rows={3}
            spellCheck={false}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            required
          />
          <label htmlFor={ids.name}>{t('data.ragName')}</label>
          <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} required />
        </>
      )}
      <label htmlFor={ids.template}>{t('data.ragTemplate')}</label>
      <textarea
        id={ids.template}
        rows={3}
        aria-describedby={ids.templateHelp}
        value={template}
        onChange={(e) => setTemplate(e.target.value)}
        required
      />
      <p id={ids.templateHelp}>{t('data.ragTemplateHelp', { example: '{{title}}' })}</p>
      <label htmlFor={ids.idColumn}>{t('data.ragIdColumn')}</label>
      <input id={ids.idColumn} value={idColumn} onChange={(e) => setIdColumn(e.target.value)} />
      <label htmlFor={ids.metadata}>{t('data.ragMetadata')}</label>
      <input id={ids.metadata} value={metadata} onChange={(e) => setMetadata(e.target.value)} />
      <ScheduleFields
        name={t('data.ragNewName')}
        kind={kind}
        value={value}
        onKind={setKind}
        onValue={setValue}
      />
      <button type="submit" disabled={busy || collections.length === 0}>
        {t('data.ragAdd')}
      </button>
    </form>
  );
}
