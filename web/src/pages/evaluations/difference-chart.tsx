/**
 * Two runs compared, one row per metric: the mean difference (B − A) as a bar from zero with its
 * bootstrap interval as a whisker, coloured by the verdict of the paired test (better, worse, or
 * no significant difference), and the p-value beside it. Drawn in SVG like the Usage charts.
 */
import type { ComparisonJson } from '@keel/api/evals';
import { ChartFrame } from '../../components/charts/chart-frame';
import { niceTicks } from '../../components/charts/chart-scale';

type MetricComparison = ComparisonJson['metrics'][number];

const width = 640;
const row = 30;
const margin = { top: 10, right: 210, bottom: 26, left: 110 };

export const verdictColours: Record<MetricComparison['verdict'], string> = {
  better: '#198038',
  worse: '#da1e28',
  no_difference: '#8d93a0',
};

export function DifferenceChart({
  metrics,
  title,
  formatValue,
  describe,
}: {
  metrics: readonly MetricComparison[];
  title: string;
  formatValue(value: number): string;
  /** The row's words for its tooltip and the hidden table ("better (p = 0.01)"). */
  describe(metric: MetricComparison): string;
}) {
  const height = margin.top + margin.bottom + row * Math.max(1, metrics.length);
  const extent = Math.max(
    ...metrics.flatMap((metric) => [
      Math.abs(metric.difference),
      Math.abs(metric.ci.low),
      Math.abs(metric.ci.high),
    ]),
  );
  const ticks = niceTicks(extent, 2);
  const reach = ticks[ticks.length - 1] || 1;
  const plot = width - margin.left - margin.right;
  const x = (value: number) => margin.left + plot / 2 + (value / reach) * (plot / 2);
  const axis = [...ticks.slice(1).map((tick) => -tick), ...ticks];
  return (
    <ChartFrame title={title} className="chart difference-chart" width={width} height={height}>
      {axis.map((tick) => (
        <g key={tick} className={tick === 0 ? 'chart-grid difference-zero' : 'chart-grid'}>
          <line x1={x(tick)} x2={x(tick)} y1={margin.top} y2={height - margin.bottom} />
          <text x={x(tick)} y={height - 8} textAnchor="middle">
            {formatValue(tick)}
          </text>
        </g>
      ))}
      {metrics.map((metric, at) => {
        const middle = margin.top + row * at + row / 2;
        const colour = verdictColours[metric.verdict];
        const left = Math.min(x(0), x(metric.difference));
        return (
          <g
            key={metric.metric}
            className="difference-row"
            data-metric={metric.metric}
            data-verdict={metric.verdict}
          >
            <text className="chart-axis" x={margin.left - 8} y={middle} dy="0.32em" textAnchor="end">
              {metric.metric}
            </text>
            <rect
              x={left}
              y={middle - row * 0.28}
              width={Math.max(1, Math.abs(x(metric.difference) - x(0)))}
              height={row * 0.56}
              fill={colour}
              fillOpacity={metric.significant ? 0.9 : 0.45}
            >
              <title>{`${metric.metric}: ${formatValue(metric.difference)} [${formatValue(metric.ci.low)}, ${formatValue(metric.ci.high)}] · ${describe(metric)}`}</title>
            </rect>
            <g className="difference-whisker" stroke="#161616">
              <line x1={x(metric.ci.low)} x2={x(metric.ci.high)} y1={middle} y2={middle} />
              <line x1={x(metric.ci.low)} x2={x(metric.ci.low)} y1={middle - 5} y2={middle + 5} />
              <line x1={x(metric.ci.high)} x2={x(metric.ci.high)} y1={middle - 5} y2={middle + 5} />
            </g>
            <text className="chart-axis" x={width - margin.right + 8} y={middle} dy="0.32em">
              {describe(metric)}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
