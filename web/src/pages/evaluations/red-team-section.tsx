/**
 * Red-team runs: the latest finished run's attack success rate per category × language, and which
 * guardrail caught what (per detector and per probe).
 */
import type { RedTeamRunJson } from '@keel/api/red-team';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { RedTeamDetectors } from './red-team-detectors';

export function RedTeamSection() {
  const { t, format } = useI18n();
  const { client, projectId } = useSession();
  const ids = { title: useId(), run: useId() };
  const runs = useLoad(
    (signal) => client.redTeam.list({ limit: 20 }).then((r) => (signal.aborted ? [] : r.runs)),
    [projectId],
  );
  const [selected, setSelected] = useState('');
  const list: RedTeamRunJson[] = ('value' in runs ? runs.value : undefined) ?? [];
  const withReport = list.filter((run) => run.report);
  const current = withReport.find((run) => run.id === selected) ?? withReport[0];
  const rate = (value: number | null) =>
    value === null ? '—' : format.number(value, { style: 'percent', maximumFractionDigits: 1 });
  return (
    <section className="page-section" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('evals.redTeam')}</h2>
      {runs.status === 'failed' ? <ErrorNotice error={runs.error} /> : null}
      {runs.status === 'loaded' && !withReport.length ? (
        <p className="notice">{t('evals.noRedTeam')}</p>
      ) : null}
      {current?.report ? (
        <>
          <div className="field">
            <label htmlFor={ids.run}>{t('evals.redTeamRun')}</label>
            <select id={ids.run} value={current.id} onChange={(event) => setSelected(event.target.value)}>
              {withReport.map((run) => (
                <option key={run.id} value={run.id}>
                  {run.probe_set} · {format.dateTime(run.created_at)}
                </option>
              ))}
            </select>
          </div>
          <p>
            {t('evals.asrOverall', {
              rate: rate(current.report.overall.attack_success_rate),
              probes: format.number(current.report.overall.probes),
            })}
          </p>
          <div className="table-wrap">
            <table aria-label={t('evals.asrTable')}>
              <thead>
                <tr>
                  <th scope="col">{t('evals.category')}</th>
                  <th scope="col">{t('evals.language')}</th>
                  <th scope="col">{t('evals.probes')}</th>
                  <th scope="col">{t('evals.asr')}</th>
                  <th scope="col">{t('evals.blockRate')}</th>
                  <th scope="col">{t('evals.refused')}</th>
                  <th scope="col">{t('evals.errors')}</th>
                </tr>
              </thead>
              <tbody>
                {current.report.by_category_language.map((row) => (
                  <tr key={`${row.category}:${row.language}`}>
                    <td>{row.category}</td>
                    <td>{row.language}</td>
                    <td>{format.number(row.probes)}</td>
                    <td>{rate(row.attack_success_rate)}</td>
                    <td>{rate(row.block_rate)}</td>
                    <td>{format.number(row.refused ?? 0)}</td>
                    <td>{format.number(row.errors)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <RedTeamDetectors run={current} />
        </>
      ) : null}
    </section>
  );
}
