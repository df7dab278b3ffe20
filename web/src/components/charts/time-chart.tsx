/**
 * A small SVG chart of several series over days: stacked bars (totals such as tokens, requests)
 * or lines (rates such as latency, where a missing day is a gap, not a zero). Each mark carries a
 * tooltip; the page shows the same numbers as a table for screen readers. Reference lines (a
 * threshold) are drawn dashed across the chart, labelled.
 */
import { AxisLabels, ChartFrame, ValueGrid } from './chart-frame';
import { colourOf, linear, niceTicks } from './chart-scale';

export interface TimeSeries {
  name: string;
  /** One value per day (null: no data that day). */
  values: (number | null)[];
}

export interface ReferenceLine {
  value: number;
  label: string;
}

const width = 640;
const height = 220;
const margin = { top: 12, right: 12, bottom: 28, left: 56 };

export function TimeChart({
  title,
  days,
  series,
  kind,
  formatValue,
  formatDay,
  references = [],
}: {
  title: string;
  days: readonly string[];
  series: readonly TimeSeries[];
  kind: 'stacked-bars' | 'lines';
  formatValue(value: number): string;
  formatDay(day: string): string;
  references?: readonly ReferenceLine[];
}) {
  const totals = days.map((_, day) =>
    kind === 'stacked-bars'
      ? series.reduce((sum, line) => sum + (line.values[day] ?? 0), 0)
      : Math.max(0, ...series.map((line) => line.values[day] ?? 0)),
  );
  const highest = Math.max(0, ...totals, ...references.map((line) => line.value));
  const ticks = niceTicks(highest, 4, kind === 'stacked-bars');
  const top = ticks[ticks.length - 1] ?? 1;
  const y = linear(top, height - margin.bottom, margin.top);
  const band = (width - margin.left - margin.right) / Math.max(1, days.length);
  const x = (day: number) => margin.left + band * day + band / 2;

  return (
    <ChartFrame title={title} width={width} height={height}>
      <ValueGrid
        ticks={ticks}
        y={y}
        left={margin.left}
        right={width - margin.right}
        formatValue={formatValue}
      />
      <AxisLabels
        labels={days.map((day) => ({ key: day, text: formatDay(day) }))}
        x={x}
        y={height - 8}
        most={8}
      />
      {references.map((line) => (
        <g key={line.label} className="chart-reference" data-reference={line.value}>
          <line
            x1={margin.left}
            x2={width - margin.right}
            y1={y(line.value)}
            y2={y(line.value)}
            stroke="currentColor"
            strokeDasharray="6 4"
          />
          {/* Above the line, or below it when the line runs along the top. */}
          <text
            x={width - margin.right - 4}
            y={y(line.value) - 4 < margin.top + 10 ? y(line.value) + 12 : y(line.value) - 4}
            textAnchor="end"
          >
            {line.label}
          </text>
          <title>{line.label}</title>
        </g>
      ))}
      {kind === 'stacked-bars'
        ? days.map((day, index) => {
            let base = 0;
            return (
              <g key={day}>
                {series.map((line, at) => {
                  const value = line.values[index] ?? 0;
                  if (!value) return null;
                  const y0 = y(base);
                  base += value;
                  const y1 = y(base);
                  return (
                    <rect
                      key={line.name}
                      x={x(index) - band * 0.35}
                      width={band * 0.7}
                      y={y1}
                      height={Math.max(1, y0 - y1)}
                      fill={colourOf(at)}
                    >
                      <title>{`${formatDay(day)} · ${line.name}: ${formatValue(value)}`}</title>
                    </rect>
                  );
                })}
              </g>
            );
          })
        : series.map((line, at) => {
            const segments: string[] = [];
            let open = false;
            line.values.forEach((value, index) => {
              if (value === null) {
                open = false;
                return;
              }
              segments.push(`${open ? 'L' : 'M'}${x(index).toFixed(1)},${y(value).toFixed(1)}`);
              open = true;
            });
            return (
              <g key={line.name} className="chart-line" stroke={colourOf(at)} fill={colourOf(at)}>
                <path d={segments.join(' ')} fill="none" strokeWidth={2} />
                {line.values.map((value, index) =>
                  value === null ? null : (
                    // biome-ignore lint/suspicious/noArrayIndexKey: one point per day index.
                    <circle key={index} cx={x(index)} cy={y(value)} r={3}>
                      <title>{`${formatDay(days[index]!)} · ${line.name}: ${formatValue(value)}`}</title>
                    </circle>
                  ),
                )}
              </g>
            );
          })}
    </ChartFrame>
  );
}
