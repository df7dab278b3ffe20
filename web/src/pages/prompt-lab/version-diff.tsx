/** What changed between two versions of a template: field by field, text line by line. */
import type { PromptDiff, PromptVersionInfo } from '@keel/api/prompts';
import { useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

export function VersionDiff({ name, versions }: { name: string; versions: readonly PromptVersionInfo[] }) {
  const { t } = useI18n();
  const { client } = useSession();
  const ids = { from: useId(), to: useId() };
  const newest = versions[0]?.version ?? 1;
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  const [to, setTo] = useState(newest);
  const [diff, setDiff] = useState<PromptDiff>();
  const [error, setError] = useState<ShownError>();

  useEffect(() => {
    let cancelled = false;
    setDiff(undefined);
    setError(undefined);
    client.prompts.diff(name, from, to).then(
      (result) => !cancelled && setDiff(result),
      (cause: unknown) => !cancelled && setError(describeError(cause)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, name, from, to]);

  const picker = (id: string, label: string, value: number, onChange: (version: number) => void) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(Number(event.target.value))}>
        {versions.map((version) => (
          <option key={version.version} value={version.version}>
            v{version.version}
            {version.labels.length ? ` (${version.labels.join(', ')})` : ''}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div className="stack">
      <div className="filters">
        {picker(ids.from, t('diff.from'), from, setFrom)}
        {picker(ids.to, t('diff.to'), to, setTo)}
      </div>
      {error ? <ErrorNotice error={error} title={t('diff.failed')} /> : null}
      {!diff && !error ? <Loading /> : null}
      {diff && diff.changes.length === 0 ? <p className="hint">{t('diff.same')}</p> : null}
      {diff?.changes.map((change) => (
        <section key={change.path.join('.')} className="diff-change">
          <h3>
            <code>{change.path.join('.')}</code> <span className="hint">{t(`diff.kind.${change.kind}`)}</span>
          </h3>
          {change.lines ? (
            <pre className="diff-lines">
              {change.lines.map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: lines of one diff, in order.
                <span key={index} className={`diff-${line.op}`}>
                  {line.op === 'add' ? '+ ' : line.op === 'remove' ? '- ' : '  '}
                  {line.text}
                  {'\n'}
                </span>
              ))}
            </pre>
          ) : (
            <pre className="diff-lines">
              {change.from !== undefined ? (
                <span className="diff-remove">
                  - {show(change.from)}
                  {'\n'}
                </span>
              ) : null}
              {change.to !== undefined ? <span className="diff-add">+ {show(change.to)}</span> : null}
            </pre>
          )}
        </section>
      ))}
    </div>
  );
}
