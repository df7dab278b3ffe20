/**
 * The comparison's columns side by side: output, status, tokens, latency and cost of each cell;
 * for a scored comparison, each column's quality and its difference from the first.
 */
import type { CompareCell, CompareEvent, CompareResult } from '@keel/api/prompts';
import { useI18n } from '../../i18n/i18n-context';
import type { ModelChoice } from '../../lib/use-model-directory';
import { CompareQuality } from './compare-quality';

type Columns = Extract<CompareEvent, { type: 'start' }>['columns'];

export interface CompareState {
  columns: Columns;
  cells: Record<number, CompareCell>;
  running: boolean;
  wallMs?: number;
  /** The finished comparison (its quality metrics and significance, when scored). */
  result?: CompareResult;
}

export function CompareResults({ state, models }: { state: CompareState; models: readonly ModelChoice[] }) {
  const { t, format } = useI18n();
  const label = (model: string) => models.find((choice) => choice.id === model)?.label ?? model;
  // Columns are named by what differs between them: the model, or the variant.
  const byModel = new Set(state.columns.map((column) => column.variant)).size === 1;
  const columnName = (index: number) => {
    const column = state.columns[index];
    return !column ? String(index + 1) : byModel ? label(column.model) : column.variant;
  };
  return (
    <>
      {state.result ? <CompareQuality result={state.result} columnName={columnName} /> : null}
      {state.result && state.result.rows.length > 1 ? <p className="hint">{t('compare.firstItem')}</p> : null}
      <div className="compare-grid" aria-busy={state.running}>
        {state.columns.map((column) => {
          const cell = state.cells[column.index];
          return (
            <article
              key={column.index}
              className="card compare-cell"
              aria-label={`${column.variant} · ${column.model}`}
            >
              <header>
                <h3>{byModel ? label(column.model) : column.variant}</h3>
                <p className="hint">
                  {byModel ? column.variant : <code>{label(column.model)}</code>}
                  {column.template ? ` · ${column.template.name}@${column.template.version}` : ''}
                </p>
              </header>
              {!cell ? (
                <p className="loading" role="status">
                  <span className="spinner" aria-hidden="true" />
                  {t('run.status.running')}
                </p>
              ) : (
                <>
                  <div className="output-text compare-output">
                    {cell.status === 'ok' ? cell.output || t('history.emptyOutput') : cell.error?.message}
                  </div>
                  {cell.status === 'error' && cell.error ? (
                    <p className="notice-meta">
                      {t('error.code')}: <code>{cell.error.code}</code>
                    </p>
                  ) : null}
                  <dl className="facts compact">
                    <div>
                      <dt>{t('compare.tokens')}</dt>
                      <dd>
                        {t('run.inputTokens', { count: format.number(cell.usage.input_tokens) })} ·{' '}
                        {t('run.outputTokens', { count: format.number(cell.usage.output_tokens) })}
                      </dd>
                    </div>
                    <div>
                      <dt>{t('compare.latency')}</dt>
                      <dd>{format.milliseconds(cell.latency_ms)}</dd>
                    </div>
                    <div>
                      <dt>{t('compare.cost')}</dt>
                      <dd>{cell.cost ? format.money(cell.cost.total) : t('compare.costUnknown')}</dd>
                    </div>
                    {cell.finish_reason ? (
                      <div>
                        <dt>{t('compare.finish')}</dt>
                        <dd>{cell.finish_reason}</dd>
                      </div>
                    ) : null}
                  </dl>
                </>
              )}
            </article>
          );
        })}
        {state.wallMs !== undefined ? (
          <p className="hint compare-wall">
            {t('compare.wall', { time: format.milliseconds(state.wallMs) })}
          </p>
        ) : null}
      </div>
    </>
  );
}
