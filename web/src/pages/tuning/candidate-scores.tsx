/**
 * A prompt search's score curve: a point per candidate in the order it was scored, joined by a
 * line, with the untuned baseline as a dashed line and the best so far marked. Drawn with the
 * console's shared chart frame; the trace table beside it carries the same numbers as text.
 */
import { AxisLabels, ChartFrame, ValueGrid } from '../../components/charts/chart-frame';
import { colourOf } from '../../components/charts/chart-scale';
import { useI18n } from '../../i18n/i18n-context';

export interface CandidateScore {
  id: string;
  kind: 'baseline' | 'instruction' | 'few_shot' | 'format' | 'joint';
  score: number | null;
  status: 'scored' | 'incomplete';
}

const width = 560;
const height = 200;
const margin = { top: 14, right: 16, bottom: 30, left: 48 };
const ticks = [0, 0.25, 0.5, 0.75, 1];

export function CandidateScores({ trace }: { trace: readonly CandidateScore[] }) {
  const { t, format } = useI18n();
  const scored = trace.filter((entry) => entry.score !== null);
  if (scored.length === 0) return null;
  const top = Math.max(1, ...scored.map((entry) => entry.score as number));
  const y = (value: number) => height - margin.bottom - (value / top) * (height - margin.top - margin.bottom);
  const band = (width - margin.left - margin.right) / Math.max(1, trace.length);
  const x = (at: number) => margin.left + band * at + band / 2;
  const points = trace.map((entry, at) => ({ entry, at })).filter(({ entry }) => entry.score !== null);
  const path = points.map(
    ({ entry, at }, i) => `${i ? 'L' : 'M'}${x(at).toFixed(1)},${y(entry.score!).toFixed(1)}`,
  );
  const baseline = trace[0]?.score ?? null;
  const best = points.reduce((a, b) => ((b.entry.score as number) > (a.entry.score as number) ? b : a));
  const colour = colourOf(0);
  return (
    <ChartFrame
      title={t('tuning.prompt.curve')}
      className="chart tuning-scores"
      width={width}
      height={height}
      after={
        <p className="chart-note">
          {t('tuning.prompt.bestSoFar', {
            id: best.entry.id,
            score: format.number(best.entry.score as number, { maximumFractionDigits: 4 }),
          })}
        </p>
      }
    >
      <ValueGrid
        ticks={ticks.map((tick) => tick * top)}
        y={y}
        left={margin.left}
        right={width - margin.right}
        formatValue={(value) => format.number(value, { maximumFractionDigits: 2 })}
      />
      <AxisLabels
        labels={trace.map((entry) => ({ key: entry.id, text: entry.id }))}
        x={x}
        y={height - 10}
        most={6}
      />
      {baseline !== null ? (
        <line
          className="tuning-baseline-line"
          x1={margin.left}
          x2={width - margin.right}
          y1={y(baseline)}
          y2={y(baseline)}
          stroke="currentColor"
          strokeOpacity={0.5}
          strokeDasharray="4 3"
        />
      ) : null}
      <path d={path.join(' ')} fill="none" stroke={colour} strokeWidth={2} />
      {points.map(({ entry, at }) => (
        <circle
          key={entry.id}
          className="tuning-candidate"
          data-candidate={entry.id}
          cx={x(at)}
          cy={y(entry.score!)}
          r={entry.id === best.entry.id ? 5 : 3.5}
          fill={colour}
        />
      ))}
    </ChartFrame>
  );
}
