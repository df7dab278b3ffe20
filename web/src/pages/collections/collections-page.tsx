/**
 * Collections (RAG): create a collection, upload documents and follow their ingestion live, search,
 * and ask questions with streamed answers and their citations. Writing needs the `write`
 * permission; asking needs `invoke`.
 */
import type { SearchHit } from '@keel/api/rag';
import type { AskResponse, Collection, IngestionJob, RagDocument, SearchResult } from '@keel/sdk';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { NumberField } from '../../components/number-field';
import { ProgressBar } from '../../components/progress-bar';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

function CreateCollection({ onCreated }: { onCreated(collection: Collection): void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const id = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onCreated(await client.rag.create({ name: name.trim() }));
      setName('');
    } catch (cause) {
      setError(describeError(cause));
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={id}>{t('collections.newName')}</label>
        <input
          id={id}
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="manuals"
          required
        />
      </div>
      <button type="submit" className="button">
        {t('collections.create')}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}

function IngestionProgress({ job }: { job: IngestionJob }) {
  const { t } = useI18n();
  if (job.status === 'succeeded' || job.status === 'failed')
    return (
      <div className={`notice ${job.failed ? 'notice-warning' : 'notice-success'}`} role="status">
        <p>
          {t('collections.ingested', {
            done: String(job.done),
            failed: String(job.failed),
            chunks: String(job.chunks),
          })}
        </p>
        {job.errors.map((error) => (
          <p key={error.document} className="notice-meta">
            {error.document}: {error.message} (<code>{error.code}</code>)
          </p>
        ))}
      </div>
    );
  return (
    <ProgressBar
      label={t('collections.ingesting')}
      done={job.done + job.failed}
      total={job.total}
      unit="items"
    />
  );
}

const statusLabels = {
  ready: 'collections.status.ready',
  pending: 'collections.status.pending',
  failed: 'collections.status.failed',
} as const;

function Documents({ collection, onChanged }: { collection: Collection; onChanged(): void }) {
  const { t, format } = useI18n();
  const { client, can } = useSession();
  const fileId = useId();
  const documents = useLoad(
    (signal) => client.rag.documents(collection.id).then((r) => (signal.aborted ? [] : r.documents)),
    [collection.id],
  );
  const [uploading, setUploading] = useState<number | null>(null);
  const [job, setJob] = useState<IngestionJob | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    setError(null);
    setJob(null);
    const list = [...files];
    setUploading(list.reduce((sum, file) => sum + file.size, 0));
    try {
      const result = await client.rag.upload(
        collection.id,
        list.map((file) => ({ name: file.name, data: file, type: file.type })),
      );
      setUploading(null);
      const rejected = result.documents.filter((d) => d.outcome === 'rejected');
      if (rejected.length)
        setError({
          code: rejected[0]!.error?.code ?? 'rejected',
          message: rejected.map((d) => `${d.name}: ${d.error?.message}`).join(' '),
          status: 0,
        });
      if (result.job) {
        const last = await client.rag.waitForJob(collection.id, result.job.id, (update) => setJob(update));
        setJob(last);
      }
      documents.reload();
      onChanged();
    } catch (cause) {
      setUploading(null);
      setError(describeError(cause));
    }
  };
  return (
    <section className="page-section" aria-labelledby={`${fileId}-title`}>
      <div className="section-head">
        <h2 id={`${fileId}-title`}>{t('collections.documents')}</h2>
        {can('write') ? (
          <div className="field">
            <label htmlFor={fileId}>{t('collections.upload')}</label>
            <input id={fileId} type="file" multiple onChange={(event) => void upload(event.target.files)} />
          </div>
        ) : null}
      </div>
      {uploading !== null ? (
        <ProgressBar
          label={t('collections.uploading')}
          done={0}
          total={undefined}
          detail={format.bytes(uploading)}
        />
      ) : null}
      {job ? <IngestionProgress job={job} /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {documents.status === 'failed' ? <ErrorNotice error={documents.error} /> : null}
      {'value' in documents && documents.value ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('collections.document')}</th>
                <th scope="col">{t('collections.status')}</th>
                <th scope="col">{t('collections.chunks')}</th>
                <th scope="col">{t('collections.size')}</th>
              </tr>
            </thead>
            <tbody>
              {documents.value.map((document: RagDocument) => (
                <tr key={document.id}>
                  <td>{document.name}</td>
                  <td>{t(statusLabels[document.status])}</td>
                  <td>{format.number(document.chunk_count)}</td>
                  <td>{format.bytes(document.size_bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : documents.status === 'loading' ? (
        <Loading />
      ) : null}
    </section>
  );
}

/** The answer model the collection is configured with, if any: the Ask form starts from it. */
function configuredModel(collection: Collection): string {
  const answer = (collection.config as { answer?: { model?: unknown } }).answer;
  return typeof answer?.model === 'string' ? answer.model : '';
}

const scoreParts = ['keyword', 'vector', 'fused', 'rerank'] as const;

/** How a hit's score was made: the mode, then each part the retrieval reported. */
function ScoreExplanation({ hit, mode }: { hit: SearchHit; mode: SearchResult['mode'] }) {
  const { t, format } = useI18n();
  const value = (score: number) => format.number(score, { maximumFractionDigits: 3 });
  const parts = scoreParts
    .filter((part) => hit.scores[part] !== undefined)
    .map((part) => t(`collections.score.${part}`, { value: value(hit.scores[part]!) }));
  return (
    <span className="notice-meta score-explanation">
      {value(hit.score)}
      {parts.length
        ? ` · ${t('collections.scoreParts', { mode: t(`collections.mode.${mode}`), parts: parts.join(', ') })}`
        : ''}
    </span>
  );
}

function SearchAndAsk({ collection }: { collection: Collection }) {
  const { t } = useI18n();
  const { client, can } = useSession();
  const ids = { query: useId(), model: useId(), title: useId() };
  const defaultTopK = (collection.config as { retrieval?: { top_k?: number } }).retrieval?.top_k ?? 5;
  const [query, setQuery] = useState('');
  const [model, setModel] = useState(() => configuredModel(collection));
  const [topK, setTopK] = useState<number | null>(null);
  const [hits, setHits] = useState<SearchResult | null>(null);
  const [answer, setAnswer] = useState<{ text: string; result?: AskResponse } | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  // Another collection picked: start from its own answer model.
  const [shownFor, setShownFor] = useState(collection.id);
  if (shownFor !== collection.id) {
    setShownFor(collection.id);
    setModel(configuredModel(collection));
    setHits(null);
    setAnswer(null);
    setError(null);
  }
  const search = async () => {
    setError(null);
    setAnswer(null);
    try {
      setHits(await client.rag.search(collection.id, { query, ...(topK ? { top_k: topK } : {}) }));
    } catch (cause) {
      setError(describeError(cause));
    }
  };
  const ask = async () => {
    setError(null);
    setHits(null);
    setAnswer({ text: '' });
    let text = '';
    try {
      for await (const event of client.rag.askStream(collection.id, {
        question: query,
        ...(model.trim() ? { model: model.trim() } : {}),
        ...(topK ? { top_k: Math.min(topK, 50) } : {}),
      })) {
        if (event.type === 'delta') {
          text += event.text;
          setAnswer({ text });
        } else if (event.type === 'result') setAnswer({ text: event.result.answer, result: event.result });
      }
    } catch (cause) {
      // Keep what was streamed before the failure; an answer with nothing in it is not shown.
      setAnswer(text ? { text } : null);
      setError(describeError(cause));
    }
  };
  return (
    <section className="page-section" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('collections.searchAndAsk')}</h2>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <div className="field grow">
          <label htmlFor={ids.query}>{t('collections.question')}</label>
          <input id={ids.query} value={query} onChange={(event) => setQuery(event.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor={ids.model}>{t('collections.model')}</label>
          <input
            id={ids.model}
            value={model}
            onChange={(event) => setModel(event.target.value)}
            placeholder="llamacpp:…"
          />
        </div>
        <NumberField
          label={t('collections.topK')}
          value={topK}
          onChange={setTopK}
          min={1}
          max={50}
          step={1}
          optional
          unsetText={String(defaultTopK)}
        />
        <button type="submit" className="button">
          {t('common.search')}
        </button>
        {can('invoke') ? (
          <button type="button" className="button" onClick={() => void ask()} disabled={!query.trim()}>
            {t('collections.ask')}
          </button>
        ) : null}
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {hits ? (
        <>
          <p className="hint">{t('collections.scoreLegend')}</p>
          <ol className="hit-list" aria-label={t('collections.results')}>
            {hits.warnings.map((warning) => (
              <p key={warning.code} className="notice notice-warning">
                {warning.message}
              </p>
            ))}
            {hits.hits.map((hit) => (
              <li key={hit.chunk_id}>
                <strong>{hit.document}</strong> <ScoreExplanation hit={hit} mode={hits.mode} />
                <p>{hit.text}</p>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {answer ? (
        <div className="card answer" aria-live="polite">
          <h3>{t('collections.answer')}</h3>
          <p className="answer-text">{answer.text}</p>
          {answer.result ? (
            <>
              <ol className="citations" aria-label={t('collections.citations')}>
                {answer.result.citations.map((citation) => (
                  <li key={citation.marker} value={citation.marker}>
                    {citation.document}
                    {citation.pages?.length ? ` · p. ${citation.pages.join(', ')}` : ''}
                  </li>
                ))}
              </ol>
              {answer.result.claims
                .filter((claim) => !claim.supported)
                .map((claim) => (
                  <p key={claim.text} className="notice notice-warning">
                    {t('collections.unsupported')}: {claim.text}
                  </p>
                ))}
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

export function CollectionsPage() {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const collections = useLoad(
    (signal) => client.rag.list().then((r) => (signal.aborted ? [] : r.collections)),
    [projectId],
  );
  const [selected, setSelected] = useState<string | null>(null);
  const list: Collection[] = ('value' in collections ? collections.value : undefined) ?? [];
  const current = list.find((collection) => collection.id === selected) ?? list[0];
  return (
    <div className="page">
      <h1>{t('nav.collections')}</h1>
      {can('write') ? (
        <CreateCollection
          onCreated={(collection) => {
            setSelected(collection.id);
            collections.reload();
          }}
        />
      ) : null}
      {collections.status === 'failed' ? <ErrorNotice error={collections.error} /> : null}
      {collections.status === 'loading' && !list.length ? <Loading /> : null}
      {list.length ? (
        <div className="field">
          <label htmlFor="collection-picker">{t('collections.collection')}</label>
          <select
            id="collection-picker"
            value={current?.id ?? ''}
            onChange={(event) => setSelected(event.target.value)}
          >
            {list.map((collection) => (
              <option key={collection.id} value={collection.id}>
                {collection.name} —{' '}
                {t('collections.counts', {
                  documents: format.number(collection.documents),
                  chunks: format.number(collection.chunks),
                })}
              </option>
            ))}
          </select>
        </div>
      ) : collections.status === 'loaded' ? (
        <p className="notice">{t('collections.none')}</p>
      ) : null}
      {current ? (
        <>
          <Documents collection={current} onChanged={() => collections.reload()} />
          <SearchAndAsk collection={current} />
        </>
      ) : null}
    </div>
  );
}
