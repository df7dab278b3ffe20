/**
 * One metric's score over the runs of a target, oldest to newest: a point per run with its
 * bootstrap interval as a whisker, the intervals joined as a shaded band, and the threshold as a
 * dashed line. Drawn in SVG like the Usage charts; a hidden table carries the same numbers for
 * screen readers.
 */
import { AxisLabels, ChartFrame, ValueGrid } from '../../components/charts/chart-frame';
import { colourOf, niceTicks } from '../../components/charts/chart-scale';
import type { MetricTrend } from './metric-series';

const width = 640;
const height = 220;
const margin = { top: 14, right: 16, bottom: 30, left: 56 };

/** Ticks over [low, high], including zero; negative values (fairness differences) stay on the chart. */
export function valueTicks(low: number, high: number): number[] {
  const bottom = Math.min(0, low);
  const top = Math.max(0, high);
  const ticks = niceTicks(top - bottom, 4);
  const step = (ticks[1] ?? 1) - (ticks[0] ?? 0);
  const first = Math.floor(bottom / step) * step;
  const out: number[] = [];
  for (let value = first; value <= top + step * 0.999; value += step) out.push(Number(value.toPrecision(12)));
  return out.length > 1 ? out : [first, first + step];
}

export function ScoreChart({
  trend,
  index,
  title,
  formatValue,
  formatTime,
  formatTick,
  labels,
}: {
  trend: MetricTrend;
  /** Position among the charts (picks the colour). */
  index: number;
  title: string;
  formatValue(value: number): string;
  formatTime(at: string): string;
  /** A short time for the axis. */
  formatTick(at: string): string;
  labels: { run: string; score: string; interval: string; threshold: string; min: string; max: string };
}) {
  const { points, threshold } = trend;
  const values = points.flatMap((point) => [
    point.score,
    point.low ?? point.score,
    point.high ?? point.score,
  ]);
  if (threshold?.min !== undefined) values.push(threshold.min);
  if (threshold?.max !== undefined) values.push(threshold.max);
  const ticks = valueTicks(Math.min(...values), Math.max(...values));
  const bottom = ticks[0]!;
  const top = ticks[ticks.length - 1]!;
  const y = (value: number) =>
    height - margin.bottom - ((value - bottom) / (top - bottom || 1)) * (height - margin.top - margin.bottom);
  const band = (width - margin.left - margin.right) / Math.max(1, points.length);
  const x = (at: number) => margin.left + band * at + band / 2;
  const colour = colourOf(index);
  const withInterval = points
    .map((point, at) => ({ point, at }))
    .filter(({ point }) => point.low !== null && point.high !== null);
  const area =
    withInterval.length > 1
      ? [
          ...withInterval.map(({ point, at }) => `${x(at).toFixed(1)},${y(point.high!).toFixed(1)}`),
          ...withInterval
            .slice()
            .reverse()
            .map(({ point, at }) => `${x(at).toFixed(1)},${y(point.low!).toFixed(1)}`),
        ].join(' ')
      : null;
  const line = points.map((point, at) => `${at ? 'L' : 'M'}${x(at).toFixed(1)},${y(point.score).toFixed(1)}`);
  const limits = (['min', 'max'] as const).flatMap((side) =>
    threshold?.[side] === undefined ? [] : [{ side, value: threshold[side]! }],
  );
  const interval = (low: number | null, high: number | null) =>
    low === null || high === null ? '—' : `[${formatValue(low)}, ${formatValue(high)}]`;

  return (
    <ChartFrame
      title={title}
      className="chart score-chart"
      attributes={{ 'data-metric': trend.metric }}
      width={width}
      height={height}
      after={
        <>
          <table className="visually-hidden" aria-label={title}>
            <thead>
              <tr>
                <th scope="col">{labels.run}</th>
                <th scope="col">{labels.score}</th>
                <th scope="col">{labels.interval}</th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={point.runId}>
                  <td>{`${point.label} · ${formatTime(point.at)}`}</td>
                  <td>{formatValue(point.score)}</td>
                  <td>{interval(point.low, point.high)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {limits.length ? (
            <p className="visually-hidden">
              {limits
                .map(({ side, value }) => `${labels.threshold}: ${labels[side]} ${formatValue(value)}`)
                .join('; ')}
            </p>
          ) : null}
        </>
      }
    >
      <ValueGrid
        ticks={ticks}
        y={y}
        left={margin.left}
        right={width - margin.right}
        formatValue={formatValue}
      />
      <AxisLabels
        labels={points.map((point) => ({ key: point.runId, text: formatTick(point.at) }))}
        x={x}
        y={height - 10}
        most={6}
      />
      {area ? <polygon className="score-band" points={area} fill={colour} /> : null}
      {limits.map(({ side, value }) => (
        <g key={side} className="score-threshold">
          <line x1={margin.left} x2={width - margin.right} y1={y(value)} y2={y(value)} />
          <text x={width - margin.right} y={y(value)} dy="-0.4em" textAnchor="end">
            {`${labels[side]} ${formatValue(value)}`}
          </text>
        </g>
      ))}
      <path d={line.join(' ')} fill="none" stroke={colour} strokeWidth={2} />
      {points.map((point, at) => (
        <g key={point.runId} className="score-point" data-run={point.runId} stroke={colour} fill={colour}>
          {point.low !== null && point.high !== null ? (
            <g className="score-whisker">
              <line x1={x(at)} x2={x(at)} y1={y(point.low)} y2={y(point.high)} />
              <line x1={x(at) - 4} x2={x(at) + 4} y1={y(point.low)} y2={y(point.low)} />
              <line x1={x(at) - 4} x2={x(at) + 4} y1={y(point.high)} y2={y(point.high)} />
            </g>
          ) : null}
          <circle cx={x(at)} cy={y(point.score)} r={4}>
            <title>
              {`${point.label} · ${formatTime(point.at)}: ${formatValue(point.score)} ${interval(point.low, point.high)} (n = ${point.n})`}
            </title>
          </circle>
        </g>
      ))}
    </ChartFrame>
  );
}
