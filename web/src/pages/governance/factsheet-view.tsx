/** A use case's factsheet: its sections and the regulatory outlines, with Markdown, JSON and PDF export. */
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

const formats = ['md', 'json', 'pdf'] as const;

function show(value: string | number | boolean | null): string {
  return value === null ? '—' : String(value);
}

export function FactsheetView({ useCaseId, changed }: { useCaseId: string; changed: number }) {
  const { t, language } = useI18n();
  const { client } = useSession();
  const title = useId();
  const factsheet = useLoad(() => client.factsheets.get(useCaseId), [useCaseId, changed]);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const download = async (format: (typeof formats)[number]) => {
    setError(null);
    setBusy(format);
    try {
      const file = await client.factsheets.export(useCaseId, format, { lang: language });
      const url = URL.createObjectURL(
        new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.contentType }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = file.filename ?? `factsheet.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="page-section" aria-labelledby={title}>
      <div className="section-head">
        <h2 id={title}>{t('gov.factsheet')}</h2>
        <span className="asset-moves">
          {formats.map((format) => (
            <button
              key={format}
              type="button"
              className="button"
              disabled={busy !== null}
              onClick={() => void download(format)}
            >
              {t('gov.export', { format: format.toUpperCase() })}
            </button>
          ))}
        </span>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {factsheet.status === 'failed' ? <ErrorNotice error={factsheet.error} /> : null}
      {'value' in factsheet && factsheet.value ? (
        <div className="card factsheet">
          <h3>{factsheet.value.use_case.name}</h3>
          <p>{factsheet.value.use_case.purpose}</p>
          {factsheet.value.approach ? (
            <p className="notice-meta">
              {t('gov.approach', {
                name: factsheet.value.approach.name,
                version: String(factsheet.value.approach.version),
              })}
            </p>
          ) : null}
          {factsheet.value.sections
            .filter((section) => !section.empty)
            .map((section) => (
              <details key={section.id}>
                <summary>
                  {section.title[language]} ({section.items.length})
                </summary>
                <ul>
                  {section.items.map((item, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the section's items, in order; labels repeat.
                    <li key={index}>
                      <strong>{item.label}</strong>{' '}
                      <span className="notice-meta">
                        {Object.entries(item.fields)
                          .map(([key, value]) => `${key}: ${show(value)}`)
                          .join(' · ')}
                      </span>
                    </li>
                  ))}
                </ul>
              </details>
            ))}
          <p className="hint">
            {t('gov.emptySections', {
              sections: factsheet.value.sections
                .filter((section) => section.empty)
                .map((section) => section.title[language])
                .join(', '),
            })}
          </p>
        </div>
      ) : factsheet.status === 'loading' ? (
        <Loading />
      ) : null}
    </section>
  );
}
