/**
 * Data: the project's catalog (tables, columns, descriptions, tags, how each column is masked for
 * the signed-in role), the join keys proposed between tables (accepted or rejected here), a
 * read-only SQL editor with server-side pages and exports, a natural-language question box that
 * shows the generated SQL and every step, the masking policies, and tables or queries as RAG
 * sources (row template, sync now, schedule).
 */
import { useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { AskBox } from './ask-box';
import { CatalogPanel } from './catalog-panel';
import { JoinKeysPanel } from './join-keys-panel';
import { MaskingEditor } from './masking-editor';
import { RagSourcesPanel } from './rag-sources-panel';
import { SqlEditor } from './sql-editor';
import './data.css';

export function DataPage() {
  const { t } = useI18n();
  const { client, projectId } = useSession();
  const sources = useLoad(() => client.data.sources(), [client, projectId]);
  const [sql, setSql] = useState('');
  // Bumped when a tag or policy changes, so the open table and the last result show the new masks.
  const [revision, setRevision] = useState(0);
  const changed = () => setRevision((value) => value + 1);
  const list = sources.status === 'failed' ? undefined : sources.value;

  return (
    <section className="page data-page" aria-labelledby="data-title">
      <h1 id="data-title">{t('data.title')}</h1>
      <p>{t('data.intro')}</p>
      {sources.status === 'failed' ? (
        <ErrorNotice error={sources.error} title={t('data.loadFailed')} />
      ) : null}
      {sources.status === 'loading' && !list ? <Loading /> : null}
      {list ? (
        <CatalogPanel
          sources={list}
          revision={revision}
          onChanged={changed}
          onQuery={(table) => setSql(`SELECT * FROM "${table.replaceAll('"', '""')}"`)}
        />
      ) : null}
      {list ? <JoinKeysPanel revision={revision} /> : null}
      <SqlEditor sql={sql} onSqlChange={setSql} revision={revision} />
      <AskBox />
      <MaskingEditor tables={list?.map((source) => source.name) ?? []} onChanged={changed} />
      <RagSourcesPanel tables={list?.map((source) => source.name) ?? []} />
    </section>
  );
}
