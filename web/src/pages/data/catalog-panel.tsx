/**
 * The catalog: the project's tables; for the chosen one its description and its columns'
 * descriptions (editable together, saved in one PATCH that the server audits), row count and
 * columns with types, null rates, samples, tags (editable, with PII suggestions) and the mask the
 * signed-in role gets. Descriptions drafted by a model are reviewed in description-draft.tsx;
 * proposed join keys are in join-keys-panel.tsx.
 */
import type { DataSourceJson, DataTableJson, DataTagSuggestionJson } from '@keel/sdk';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { DescriptionDraft } from './description-draft';

/** Each column's description by column name. */
function describedColumns(table: DataTableJson): Record<string, string> {
  return Object.fromEntries(table.columns.map((column) => [column.name, column.description]));
}

function sample(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function CatalogPanel({
  sources,
  revision,
  onChanged,
  onQuery,
}: {
  sources: DataSourceJson[];
  revision: number;
  onChanged(): void;
  onQuery(table: string): void;
}) {
  const { t, format } = useI18n();
  const { client } = useSession();
  const [chosen, setChosen] = useState<string | null>(null);
  const name = chosen ?? sources[0]?.name ?? null;
  const table = useLoad(
    () => (name ? client.data.table(name) : Promise.resolve(null)),
    [client, name, revision],
  );

  return (
    <section aria-labelledby="data-catalog">
      <h2 id="data-catalog">{t('data.catalog')}</h2>
      {sources.length === 0 ? (
        <p>{t('data.noTables')}</p>
      ) : (
        <div className="data-catalog">
          <nav aria-label={t('data.tables')}>
            <ul className="data-table-list">
              {sources.map((source) => (
                <li key={source.id}>
                  <button
                    type="button"
                    className="link-button"
                    aria-pressed={source.name === name}
                    onClick={() => setChosen(source.name)}
                  >
                    {source.name}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div>
            {table.status === 'failed' ? <ErrorNotice error={table.error} /> : null}
            {table.status === 'loading' && !table.value ? <Loading /> : null}
            {table.status !== 'failed' && table.value ? (
              <TableDetail
                key={table.value.name}
                table={table.value}
                rows={format.number(table.value.row_count)}
                onChanged={onChanged}
                onQuery={onQuery}
              />
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}

function TableDetail({
  table,
  rows,
  onChanged,
  onQuery,
}: {
  table: DataTableJson;
  rows: string;
  onChanged(): void;
  onQuery(table: string): void;
}) {
  const { t, format } = useI18n();
  const { client, can } = useSession();
  const descriptionId = useId();
  const formId = useId();
  const [description, setDescription] = useState(table.description);
  const [columnDescriptions, setColumnDescriptions] = useState(() => describedColumns(table));
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [suggestions, setSuggestions] = useState<DataTagSuggestionJson[] | null>(null);
  useEffect(() => setDescription(table.description), [table.description]);
  useEffect(() => setColumnDescriptions(describedColumns(table)), [table]);

  async function saveDescription(event: FormEvent) {
    event.preventDefault();
    setError(null);
    // Only the columns whose description changed are sent (the others keep theirs).
    const before = describedColumns(table);
    const columns = Object.fromEntries(
      Object.entries(columnDescriptions).filter(([column, text]) => text !== before[column]),
    );
    try {
      await client.data.describe(table.name, { description, columns });
      setSaved(true);
      onChanged();
    } catch (cause) {
      setError(describeError(cause));
    }
  }

  async function suggest() {
    setError(null);
    try {
      setSuggestions(await client.data.suggestTags(table.name));
    } catch (cause) {
      setError(describeError(cause));
    }
  }

  return (
    <article aria-label={table.name}>
      <h3>
        {table.name} <small>{t('data.rows', { count: rows })}</small>
      </h3>
      {can('write') ? (
        <form id={formId} onSubmit={saveDescription} aria-label={t('data.descriptions')}>
          <label htmlFor={descriptionId}>{t('data.description')}</label>
          <textarea
            id={descriptionId}
            rows={2}
            value={description}
            onChange={(e) => {
              setDescription(e.target.value);
              setSaved(false);
            }}
          />
          <p className="hint">{t('data.columnDescriptionsHint')}</p>
          <button type="submit">{t('data.saveDescription')}</button>
          {saved ? <output>{t('data.saved')}</output> : null}
        </form>
      ) : (
        <p>{table.description || t('data.noDescription')}</p>
      )}
      {error ? <ErrorNotice error={error} /> : null}
      {can('write') ? <DescriptionDraft table={table} onChanged={onChanged} /> : null}
      <div className="table-wrap">
        <table>
          <caption>{t('data.columns', { table: table.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('data.column')}</th>
              <th scope="col">{t('data.columnDescription')}</th>
              <th scope="col">{t('data.type')}</th>
              <th scope="col">{t('data.nullRate')}</th>
              <th scope="col">{t('data.samples')}</th>
              <th scope="col">{t('data.tags')}</th>
              <th scope="col">{t('data.masked')}</th>
            </tr>
          </thead>
          <tbody>
            {table.columns.map((column) => (
              <tr key={column.name}>
                <th scope="row">{column.name}</th>
                <td>
                  {can('write') ? (
                    <input
                      form={formId}
                      aria-label={t('data.columnDescriptionOf', { column: column.name })}
                      value={columnDescriptions[column.name] ?? ''}
                      maxLength={4000}
                      onChange={(e) => {
                        const text = e.target.value;
                        setColumnDescriptions((current) => ({ ...current, [column.name]: text }));
                        setSaved(false);
                      }}
                    />
                  ) : (
                    column.description
                  )}
                </td>
                <td>{column.type}</td>
                <td>{format.number(column.null_rate, { style: 'percent', maximumFractionDigits: 1 })}</td>
                <td>{column.samples.slice(0, 3).map(sample).join(', ')}</td>
                <td>
                  {can('write') ? (
                    <TagEditor
                      table={table.name}
                      column={column.name}
                      tags={column.tags}
                      onSaved={onChanged}
                    />
                  ) : (
                    column.tags.join(', ')
                  )}
                </td>
                <td>{column.masked ? t(`data.method.${column.masked}`) : t('data.masked.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <button type="button" onClick={() => onQuery(table.name)}>
          {t('data.useQuery')}
        </button>{' '}
        {can('write') ? (
          <button type="button" onClick={suggest}>
            {t('data.suggest')}
          </button>
        ) : null}
      </p>
      {suggestions ? (
        <p role="status">
          {suggestions.length === 0
            ? t('data.noSuggestions')
            : t('data.suggestions', {
                list: suggestions
                  .map((s) => `${s.column} → ${s.tag} (${s.entity_types.join(', ')})`)
                  .join('; '),
              })}
        </p>
      ) : null}
    </article>
  );
}

function TagEditor({
  table,
  column,
  tags,
  onSaved,
}: {
  table: string;
  column: string;
  tags: string[];
  onSaved(): void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const [text, setText] = useState(tags.join(', '));
  const [error, setError] = useState<ShownError | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const next = [
      ...new Set(
        text
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
      ),
    ];
    try {
      await client.data.setTags(table, column, next);
      onSaved();
    } catch (cause) {
      setError(describeError(cause));
    }
  }

  return (
    <form onSubmit={save} className="data-tags">
      <input
        aria-label={t('data.tagsOf', { column })}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" aria-label={`${t('data.saveTags')}: ${column}`}>
        {t('data.saveTags')}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}
