/**
 * Which guardrail caught what in one red-team run: per detector, the probes it caught as a share
 * of the completed ones; per probe, its outcome and the guardrails that acted on it, or that it
 * got through.
 */
import type { ProbeResultJson, RedTeamRunJson } from '@keel/api/red-team';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

/** The guardrails that acted on a probe (flags left out), each once: `injection (input, block)`. */
function caughtBy(result: ProbeResultJson): string[] {
  const acted = result.caught_by
    .filter((entry) => entry.action !== 'flag')
    .map((entry) => `${entry.detector} (${entry.direction}, ${entry.action})`);
  return [...new Set(acted)];
}

export function RedTeamDetectors({ run }: { run: RedTeamRunJson }) {
  const { t, format } = useI18n();
  const { client } = useSession();
  const results = useLoad(
    (signal) => client.redTeam.results(run.id, { limit: 500 }).then((r) => (signal.aborted ? [] : r.results)),
    [run.id],
  );
  const rate = (value: number | null) =>
    value === null ? '—' : format.number(value, { style: 'percent', maximumFractionDigits: 1 });
  const detectors = run.report?.by_detector ?? [];
  return (
    <>
      <h3>{t('evals.byDetector')}</h3>
      {detectors.length ? (
        <div className="table-wrap">
          <table aria-label={t('evals.byDetector')}>
            <thead>
              <tr>
                <th scope="col">{t('evals.detector')}</th>
                <th scope="col">{t('evals.caughtProbes')}</th>
                <th scope="col">{t('evals.caughtRate')}</th>
                <th scope="col">{t('evals.blockRate')}</th>
                <th scope="col">{t('evals.onInput')}</th>
                <th scope="col">{t('evals.onOutput')}</th>
                <th scope="col">{t('evals.onContext')}</th>
                <th scope="col">{t('evals.stillSucceeded')}</th>
                <th scope="col">{t('evals.onlyFlagged')}</th>
              </tr>
            </thead>
            <tbody>
              {detectors.map((row) => (
                <tr key={row.detector}>
                  <th scope="row">{row.detector}</th>
                  <td>{format.number(row.probes)}</td>
                  <td>{rate(row.rate)}</td>
                  <td>{format.number(row.blocked)}</td>
                  <td>{format.number(row.input)}</td>
                  <td>{format.number(row.output)}</td>
                  <td>{format.number(row.context ?? 0)}</td>
                  <td>{format.number(row.successes)}</td>
                  <td>{format.number(row.flagged)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="notice">{t('evals.noDetector')}</p>
      )}
      <h3>{t('evals.perProbe')}</h3>
      {results.status === 'failed' ? <ErrorNotice error={results.error} /> : null}
      {results.status === 'loaded' ? (
        <div className="table-wrap">
          <table aria-label={t('evals.perProbe')}>
            <thead>
              <tr>
                <th scope="col">{t('evals.probe')}</th>
                <th scope="col">{t('evals.category')}</th>
                <th scope="col">{t('evals.language')}</th>
                <th scope="col">{t('evals.outcome')}</th>
                <th scope="col">{t('evals.attack')}</th>
                <th scope="col">{t('evals.caughtBy')}</th>
              </tr>
            </thead>
            <tbody>
              {results.value.map((result) => {
                const caught = caughtBy(result);
                return (
                  <tr key={result.probe_id}>
                    <th scope="row">{result.probe_id}</th>
                    <td>{result.category}</td>
                    <td>{result.language}</td>
                    <td>{t(`evals.outcome.${result.outcome}`)}</td>
                    <td>
                      {result.outcome === 'error'
                        ? '—'
                        : t(result.success ? 'evals.attackSucceeded' : 'evals.attackFailed')}
                    </td>
                    <td>
                      {result.outcome === 'error'
                        ? (result.error?.code ?? '—')
                        : caught.length
                          ? caught.join('; ')
                          : t('evals.gotThrough')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
